import type { RequestSession, SessionData } from '@sess/core';
import { createFetchSessions, type FetchSessionOptions, type FetchSessions } from './fetch-sessions.js';

/**
 * A fetch handler that receives the request's session. Extra arguments (Next.js' route context,
 * Bun's server, Deno's connection info) are passed through after the session.
 */
export type SessionHandler<Data extends SessionData, Args extends unknown[]> = (
  request: Request,
  session: RequestSession<Data>,
  ...args: Args
) => Response | Promise<Response>;

/**
 * Wraps a web-standard handler: loads the session, runs the handler, saves the session and returns
 * the handler's response with the session headers. Errors (store failures included) reject, for the
 * surrounding framework's error handling; a handler that throws leaves the stored session unchanged.
 */
export function withSession<Data extends SessionData = SessionData, Args extends unknown[] = []>(
  handler: SessionHandler<Data, Args>,
  options: FetchSessionOptions<Data> | FetchSessions<Data>,
): (request: Request, ...args: Args) => Promise<Response> {
  const sessions = 'getSession' in options ? options : createFetchSessions(options);
  return async (request, ...args) => {
    const session = await sessions.getSession(request);
    return sessions.commit(request, await handler(request, session, ...args));
  };
}
