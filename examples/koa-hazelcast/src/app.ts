import { isSessionError, maskSessionId, type SessionRepository } from '@sess/core';
import { session } from '@sess/koa';
import Koa from 'koa';

/** What this app keeps in a session; `sessions.of(ctx)` types attribute access with it. */
export interface AppSession {
  count: number;
  [attribute: string]: unknown;
}

/**
 * The example's Koa app (the route contract of DESIGN.md) over any repository. src/server.ts gives it
 * one backed by a real Hazelcast cluster; the tests also give it one over the in-process IMap double.
 * `storeLabel` is what the home page says the sessions live in.
 */
export function createApp(repository: SessionRepository<AppSession>, storeLabel = 'Hazelcast store'): Koa {
  const sessions = session({ repository, cookie: { name: 'sid' } });
  const app = new Koa();

  // Outermost, so it also sees store failures from the session middleware (typed, with a stable `code`):
  // a cluster that does not answer within the store's operationTimeoutMs is a 503, not a hung request.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const code = isSessionError(error) ? error.code : 'UNEXPECTED';
      // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
      ctx.status = code === 'STORE_UNAVAILABLE' ? 503 : code === 'INVALID_DATA' ? 400 : 500;
      ctx.body = { error: code };
      if (!isSessionError(error)) ctx.app.emit('error', error, ctx);
    }
  });

  app.use(sessions);

  /** One query parameter; undefined when it is missing or repeated (`?k=a&k=b`), which gets a 400. */
  const param = (ctx: Koa.Context, name: string): string | undefined => {
    const value = ctx.query[name];
    return typeof value === 'string' ? value : undefined;
  };
  /** Plain text, always: Koa would send a string that starts with "<" as HTML. */
  const text = (ctx: Koa.Context, body: string, status = 200): void => {
    ctx.status = status;
    ctx.type = 'text/plain';
    ctx.body = body;
  };

  const routes: Record<string, Koa.Middleware> = {
    '/': (ctx) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>@sess example</title>
<h1>@sess example: Koa + ${storeLabel}</h1>
<p>Sessions live in a Hazelcast IMap shared by every server of the cluster. Routes:</p>
<ul>
  <li><a href="/inc">/inc</a>: count visits in the session (the first write creates the session and sets the cookie)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: rotates the session id, sets the principal</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: all sessions of the logged-in user, through a predicate on the principal</li>
  <li><a href="/logout">/logout</a>: destroys the session and clears the cookie</li>
</ul>
<p>From a shell: <code>curl -c jar -b jar http://127.0.0.1:3000/inc</code> (repeat it; use your HOST and PORT).</p>`;
    },

    '/login': async (ctx) => {
      const user = param(ctx, 'user');
      if (!user) {
        text(ctx, 'user is required, once', 400);
        return;
      }
      const s = sessions.of(ctx);
      await s.regenerate(); // new id against session fixation; data is kept
      s.principal = user; // indexes the session under this user
      text(ctx, `logged in as ${user}`);
    },

    '/logout': async (ctx) => {
      await ctx.session.destroy();
      text(ctx, 'logged out');
    },

    '/me': (ctx) => {
      const user = ctx.session.principal;
      ctx.status = user === null ? 401 : 200;
      ctx.body = { user };
    },

    '/inc': (ctx) => {
      const s = sessions.of(ctx);
      const count = (s.get('count') ?? 0) + 1;
      s.set('count', count);
      text(ctx, String(count));
    },

    '/set': (ctx) => {
      const k = param(ctx, 'k');
      const v = param(ctx, 'v');
      if (!k || v === undefined) {
        text(ctx, 'k and v are required, once each', 400);
        return;
      }
      ctx.session.set(k, v);
      text(ctx, 'ok');
    },

    '/get': (ctx) => {
      const k = param(ctx, 'k');
      if (!k) {
        text(ctx, 'k is required, once', 400);
        return;
      }
      ctx.type = 'json'; // a string attribute must still be sent as JSON
      ctx.body = JSON.stringify(ctx.session.get(k) ?? null);
    },

    '/sessions': async (ctx) => {
      const user = ctx.session.principal;
      if (user === null) {
        ctx.status = 401;
        ctx.body = { error: 'log in first' };
        return;
      }
      const found = await repository.findByPrincipal(user);
      ctx.body = [...found.values()].map((s) => ({
        id: maskSessionId(s.id),
        current: s.id === ctx.session.id,
        createdAt: new Date(s.createdAt).toISOString(),
        lastAccessedAt: new Date(s.lastAccessedAt).toISOString(),
      }));
    },
  };

  // A tiny GET router keeps the example dependency-free; real apps would use @koa/router.
  app.use((ctx, next) => {
    const route = ctx.method === 'GET' ? routes[ctx.path] : undefined;
    return route ? route(ctx, next) : next();
  });

  return app;
}
