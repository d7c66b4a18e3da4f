import { serve } from '@hono/node-server';
import { CookieTooLargeError, cookieSessions } from '@sess/cookie';
import { createSessionRepository, isSessionError, maskSessionId } from '@sess/core';
import { createFetchSessions } from '@sess/fetch';
import { MemoryStore } from '@sess/memory';
import { Hono } from 'hono';
import { honoSession, type SessionEnv } from './session-middleware.js';

/** What this app keeps in a session; typed through `c.var.session`. */
interface AppSession {
  count: number;
  [attribute: string]: unknown;
}

// The sealing secret (>= 32 characters) comes from the environment; without one, a random secret
// makes every session end when the process restarts, which is fine for a demo and nothing else.
const secret =
  process.env.SESSION_SECRET ??
  Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

// The whole session travels in the cookie, sealed. The deny-list (here in process memory; a
// RedisStore when several processes serve the app) is what makes logout end a copied cookie too.
const cookies = cookieSessions({ secrets: [secret], denyList: new MemoryStore() });
const repository = createSessionRepository<AppSession>({
  store: cookies.store,
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});
const sessions = createFetchSessions({ repository, idResolver: cookies.idResolver });

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';

const app = new Hono<SessionEnv<AppSession>>();
app.use(honoSession(sessions));

app.get('/', (c) =>
  c.html(`<!doctype html><title>@sess demo</title>
<h1>@sess demo: Hono (@sess/fetch) + the session sealed in the cookie (@sess/cookie)</h1>
<ul>
  <li><a href="/inc">/inc</a>: count visits (each save re-seals the cookie: look at it, it is unreadable)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: a new sealed id; the pre-login cookie is refused from now on</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: this session only (a cookie store cannot list other browsers' sessions)</li>
  <li><a href="/logout">/logout</a>: ends the session; a copy of the cookie is refused too (deny-list)</li>
  <li><a href="/logout-everywhere">/logout-everywhere</a>: refuses every older cookie of this user</li>
</ul>
<p>From a shell: <code>curl -c jar -b jar http://${hostname}:${port}/inc</code></p>`),
);

/** One query parameter; undefined when it is missing or repeated (`?k=a&k=b`), which gets a 400. */
function param(values: string[] | undefined): string | undefined {
  return values?.length === 1 ? values[0] : undefined;
}

app.get('/login', async (c) => {
  const user = param(c.req.queries('user'));
  if (!user) return c.text('user is required, once', 400);
  const session = c.var.session;
  await session.regenerate(); // a new sealed id: the old cookie is denied
  session.principal = user;
  return c.text(`logged in as ${user}`);
});

app.get('/logout', async (c) => {
  await c.var.session.destroy();
  return c.text('logged out');
});

app.get('/logout-everywhere', async (c) => {
  const user = c.var.session.principal;
  if (user === null) return c.json({ error: 'log in first' }, 401);
  await cookies.revokePrincipal(user);
  await c.var.session.destroy();
  return c.text(`every session of ${user} ended`);
});

app.get('/me', (c) => {
  const user = c.var.session.principal;
  return user === null ? c.json({ user: null }, 401) : c.json({ user });
});

app.get('/inc', (c) => {
  const count = (c.var.session.get('count') ?? 0) + 1;
  c.var.session.set('count', count);
  return c.text(String(count));
});

app.get('/set', (c) => {
  const key = param(c.req.queries('k'));
  const value = param(c.req.queries('v'));
  if (!key || value === undefined) return c.text('k and v are required, once each', 400);
  c.var.session.set(key, value);
  return c.text('ok');
});

app.get('/get', (c) => {
  const key = param(c.req.queries('k'));
  if (!key) return c.text('k is required, once', 400);
  return c.json(c.var.session.get(key) ?? null);
});

// A cookie store has no index of sessions by user (they live in browsers): only this one is known.
app.get('/sessions', (c) => {
  const session = c.var.session;
  if (session.principal === null) return c.json({ error: 'log in first' }, 401);
  return c.json([{ id: maskSessionId(session.id), current: true }]);
});

app.onError((error, c) => {
  if (error instanceof CookieTooLargeError) return c.json({ error: 'SESSION_TOO_LARGE' }, 413);
  // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
  if (isSessionError(error))
    return c.json(
      { error: error.code },
      error.code === 'STORE_UNAVAILABLE' ? 503 : error.code === 'INVALID_DATA' ? 400 : 500,
    );
  console.error(error);
  return c.json({ error: 'UNEXPECTED' }, 500);
});

const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(`@sess demo (hono + @sess/fetch + sealed cookie) listening on http://${hostname}:${info.port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      void repository.close().then(() => process.exit(0));
    });
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
