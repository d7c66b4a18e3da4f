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
import type { Context, Middleware, Next } from 'koa';
import { koaPort } from './koa-port.js';

// Node's synchronous HMAC for signed cookies (core falls back to Web Crypto, which is asynchronous).
useCookieHmac((secret) => (value) => createHmac('sha256', secret).update(value).digest('base64url'));

declare module 'koa' {
  interface DefaultContext {
    /**
     * The request's session (@sess/koa). Type its attributes once by augmenting SessionData
     * (`declare module '@sess/core' { interface SessionData { ... } }`), or use `sessions.of(ctx)`.
     */
    session: RequestSession<SessionData>;
  }
}

export type KoaSessionOptions<Data extends object = SessionData> = SessionManagerOptions<Data>;

/** The middleware, plus a typed accessor for the session it attaches. */
export interface KoaSessionMiddleware<Data extends object = SessionData> extends Middleware {
  /** The session of `ctx`, typed with this middleware's Data. */
  of(ctx: Context): RequestSession<Data>;
  readonly manager: SessionManager<Data>;
}

/**
 * Koa 2/3 middleware: loads the session when the request carries an id, exposes it as `ctx.session`,
 * and commits it after downstream middleware has run, before Koa writes the response (ctx.body,
 * streams and ctx.redirect included), and also when downstream throws: what it changed before is
 * saved, and the session headers ride on the error (Koa's error handler sets `error.headers`).
 * Store failures reject, so they reach Koa's error handling.
 */
export function session<Data extends object = SessionData>(
  options: KoaSessionOptions<Data>,
): KoaSessionMiddleware<Data> {
  const manager = new SessionManager<Data>(options);

  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.session) return next(); // mounted twice (router and app): the outer one owns it
    const handle = await manager.load(koaPort(ctx));
    ctx.session = handle.frameworkSession;
    try {
      await next();
    } catch (error) {
      // The downstream error is the one the app must handle; a failing save is only reported.
      await commitOnError(ctx, handle, error);
      throw error;
    }
    const saving = handle.commit();
    if (saving !== undefined) await saving; // no await when there is nothing to write
  };
  return Object.assign(middleware, {
    of: (ctx: Context): RequestSession<Data> => typedSession<Data>(ctx.session, 'sessions.of(ctx)'),
    manager,
  });
}

/**
 * Saves what downstream changed before it threw. Koa's error handler removes every response header
 * and then applies `error.headers`, so the session's headers are copied there to reach the client.
 */
async function commitOnError<Data extends object>(
  ctx: Context,
  handle: SessionHandle<Data>,
  error: unknown,
): Promise<void> {
  try {
    await handle.commit();
  } catch (saveError) {
    ctx.app.emit('error', saveError, ctx);
    return;
  }
  if (typeof error !== 'object' || error === null) return;
  const carried: Record<string, string | string[]> = {};
  for (const name of ['set-cookie', 'cache-control']) {
    const value = ctx.response.get(name);
    if (value) carried[name] = value;
  }
  const current = (error as { headers?: unknown }).headers;
  const headers = typeof current === 'object' && current !== null ? current : {};
  Object.assign(error, { headers: { ...headers, ...carried } });
}

/** Forbids creating a session on the routes it guards (REST endpoints, health checks). */
export function preventSessionCreation(): Middleware {
  return (ctx, next) => {
    ctx.session?.preventCreation();
    return next();
  };
}
