import type { FetchSessions, RequestSession, SessionData } from '@sess/fetch';
import { createMiddleware } from 'hono/factory';

/** Hono context variables this middleware provides: `c.var.session`. */
export type SessionEnv<Data extends SessionData = SessionData> = {
  Variables: { session: RequestSession<Data> };
};

/**
 * Hono middleware over @sess/fetch: loads the session into `c.var.session` and commits it into the
 * response once the route has run. Store failures throw, so they reach `app.onError`.
 */
export function honoSession<Data extends SessionData>(sessions: FetchSessions<Data>) {
  return createMiddleware<SessionEnv<Data>>(async (c, next) => {
    c.set('session', await sessions.getSession(c.req.raw));
    await next();
    const committed = await sessions.commit(c.req.raw, c.res);
    if (committed !== c.res) {
      // The route returned a Response with immutable headers (fetch(), Response.redirect()) and got a
      // copy. Assigning it over c.res would merge the old headers back and drop the new Set-Cookie.
      c.res = undefined;
      c.res = committed;
    }
  });
}
