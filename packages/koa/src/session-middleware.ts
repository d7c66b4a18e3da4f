import { createHmac } from 'node:crypto';
import {
  type RequestSession,
  type SessionData,
  SessionManager,
  type SessionManagerOptions,
  useCookieHmac,
} from '@sess/core';
import type { Context, Middleware, Next } from 'koa';
import { koaPort } from './koa-port.js';

// Node's synchronous HMAC for signed cookies (core falls back to Web Crypto, which is asynchronous).
useCookieHmac((secret) => (value) => createHmac('sha256', secret).update(value).digest('base64url'));

declare module 'koa' {
  interface DefaultContext {
    /** The request's session (@sess/koa). For typed attributes use `sessions.of(ctx)`. */
    session: RequestSession<SessionData>;
  }
}

export type KoaSessionOptions<Data extends SessionData = SessionData> = SessionManagerOptions<Data>;

/** The middleware, plus a typed accessor for the session it attaches. */
export interface KoaSessionMiddleware<Data extends SessionData = SessionData> extends Middleware {
  /** The session of `ctx`, typed with this middleware's Data. */
  of(ctx: Context): RequestSession<Data>;
  readonly manager: SessionManager<Data>;
}

/**
 * Koa 2/3 middleware: loads the session when the request carries an id, exposes it as `ctx.session`,
 * and saves it after downstream middleware has run, before Koa writes the response (ctx.body, streams
 * and ctx.redirect included). Store failures reject, so they reach Koa's error handling.
 */
export function session<Data extends SessionData = SessionData>(
  options: KoaSessionOptions<Data>,
): KoaSessionMiddleware<Data> {
  const manager = new SessionManager<Data>(options);

  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.session) return next(); // mounted twice (router and app): the outer one owns it
    const handle = await manager.load(koaPort(ctx));
    ctx.session = handle as unknown as RequestSession;
    try {
      await next();
    } catch (error) {
      // What the request changed before failing is kept (an error page may still carry the cookie).
      // The downstream error is the one the app must handle; a failing save is only reported.
      await handle.save().catch((saveError: unknown) => ctx.app.emit('error', saveError, ctx));
      throw error;
    }
    if (!handle.trySaveSync()) await handle.save(); // no await when there is nothing to write
  };
  return Object.assign(middleware, {
    of: (ctx: Context) => ctx.session as unknown as RequestSession<Data>,
    manager,
  });
}

/** Forbids creating a session on the routes it guards (REST endpoints, health checks). */
export function preventSessionCreation(): Middleware {
  return (ctx, next) => {
    (ctx.session as RequestSession | undefined)?.preventCreation();
    return next();
  };
}
