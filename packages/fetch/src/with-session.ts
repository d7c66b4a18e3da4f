import type { RequestSession, SessionData } from '@sess/core';
import { createFetchSessions, type FetchSessionOptions, type FetchSessions } from './fetch-sessions.js';

/**
 * A fetch handler that receives the request's session. Extra arguments (Next.js' route context,
 * Bun's server, Deno's connection info) are passed through after the session.
 */
export type SessionHandler<Data extends object, Args extends unknown[]> = (
  request: Request,
  session: RequestSession<Data>,
  ...args: Args
) => Response | Promise<Response>;

/**
 * Wraps a web-standard handler: loads the session, runs the handler, saves the session and returns
 * the handler's response with the session headers. Errors (store failures included) reject, for the
 * surrounding framework's error handling. A handler that throws still has what it changed on an
 * existing session saved (core's one lifecycle rule); a session it created or an id it regenerated
 * is not, since no response of ours will tell the client.
 */
export function withSession<Data extends object = SessionData, Args extends unknown[] = []>(
  handler: SessionHandler<Data, Args>,
  options: FetchSessionOptions<Data> | FetchSessions<Data>,
): (request: Request, ...args: Args) => Promise<Response> {
  const sessions = 'getSession' in options ? options : createFetchSessions(options);
  return async (request, ...args) => {
    const session = await sessions.getSession(request);
    let response: Response;
    try {
      response = await handler(request, session, ...args);
    } catch (error) {
      // The handler's error is the one to report; a failing save after it is dropped with it.
      await sessions.commitAfterError(request).catch(() => undefined);
      throw error;
    }
    return sessions.commit(request, response);
  };
}
