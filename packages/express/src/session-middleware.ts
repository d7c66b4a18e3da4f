import { createHmac } from 'node:crypto';
import {
  type RequestSession,
  type SessionData,
  type SessionHandle,
  SessionManager,
  type SessionManagerOptions,
  typedSession,
  useCookieHmac,
} from '@sess/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { expressPort } from './express-port.js';

// Node's synchronous HMAC for signed cookies (core falls back to Web Crypto, which is asynchronous).
useCookieHmac((secret) => (value) => createHmac('sha256', secret).update(value).digest('base64url'));

declare global {
  namespace Express {
    interface Request {
      /**
       * The request's session (@sess/express). Type its attributes once by augmenting SessionData
       * (`declare module '@sess/core' { interface SessionData { ... } }`), or use `sessions.of(req)`.
       */
      session: RequestSession<SessionData>;
    }
  }
}

export type ExpressSessionOptions<Data extends object = SessionData> = SessionManagerOptions<Data>;

/** The middleware, plus a typed accessor for the session it attached. */
export interface ExpressSessionMiddleware<Data extends object = SessionData> extends RequestHandler {
  /** The session of `req`, typed with this middleware's Data. */
  of(req: Request): RequestSession<Data>;
  readonly manager: SessionManager<Data>;
}

/**
 * Express 4/5 middleware: loads the session when the request carries an id, exposes it as
 * `req.session`, and commits it when the response is sent (res.end, res.redirect, res.json, ...),
 * including the error response after a handler threw: what the handler changed before is saved.
 */
export function session<Data extends object = SessionData>(
  options: ExpressSessionOptions<Data>,
): ExpressSessionMiddleware<Data> {
  const manager = new SessionManager<Data>(options);

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.session) {
      next(); // mounted twice (router and app): the outer one owns it
      return;
    }
    manager.load(expressPort(req, res)).then((handle) => {
      req.session = handle.frameworkSession;
      commitBeforeSending(res, handle, next);
      next();
    }, next);
  };
  return Object.assign(middleware, {
    of: (req: Request): RequestSession<Data> => typedSession<Data>(req.session, 'sessions.of(req)'),
    manager,
  });
}

/** What the patched res.end / res.writeHead of one response need; kept on the response itself. */
interface Commit {
  handle: { commit(): Promise<void> | undefined; applyHeaders(): void };
  next: NextFunction;
  end: Response['end'];
  writeHead: Response['writeHead'];
  saving: boolean;
}

const COMMIT = Symbol('sess.commit');
type CommittingResponse = Response & { [COMMIT]: Commit };

/**
 * Holds `res.end` until the session is saved, so the store write and the Set-Cookie header happen
 * before the client sees the response. Headers written early (streaming) still get the cookie through
 * the writeHead hook; the store write then happens before the last chunk. The two replacements are
 * shared functions, not per-request closures: this runs on every request.
 */
function commitBeforeSending<Data extends object>(
  res: Response,
  handle: SessionHandle<Data>,
  next: NextFunction,
): void {
  (res as CommittingResponse)[COMMIT] = {
    handle,
    next,
    end: res.end,
    writeHead: res.writeHead,
    saving: false,
  };
  res.writeHead = writeHeadWithSession as Response['writeHead'];
  res.end = endAfterSave as Response['end'];
}

function writeHeadWithSession(this: CommittingResponse, ...args: unknown[]): Response {
  const commit = this[COMMIT];
  commit.handle.applyHeaders();
  return (commit.writeHead as (...a: unknown[]) => Response).apply(this, args);
}

function endAfterSave(this: CommittingResponse, ...args: unknown[]): Response {
  const commit = this[COMMIT];
  const end = commit.end as (...a: unknown[]) => Response;
  if (commit.saving) return end.apply(this, args);
  commit.saving = true;
  const saving = commit.handle.commit();
  // Nothing to write (most read-only requests): send now, without waiting a turn for a promise.
  if (saving === undefined) return end.apply(this, args);
  saving.then(
    () => end.apply(this, args),
    (error: unknown) => {
      // The handler's response is abandoned: the session could not be saved, so the application's
      // error handler answers instead (with the typed error).
      this.end = commit.end as CommittingResponse['end'];
      commit.next(error);
    },
  );
  return this;
}

/** Forbids creating a session on the routes it guards (REST endpoints, health checks). */
export function preventSessionCreation(): RequestHandler {
  return (req, _res, next) => {
    req.session?.preventCreation();
    next();
  };
}
