import { serve } from '@hono/node-server';
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

const repository = createSessionRepository<AppSession>({
  store: new MemoryStore(),
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});
const sessions = createFetchSessions({ repository, cookie: { name: 'sid' } });

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';

const app = new Hono<SessionEnv<AppSession>>();
app.use(honoSession(sessions));

app.get('/', (c) =>
  c.html(`<!doctype html><title>@sess demo</title>
<h1>@sess demo: Hono (@sess/fetch) + memory store</h1>
<ul>
  <li><a href="/inc">/inc</a>: count visits in the session (the first write creates the session and sets the cookie)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: rotates the session id, sets the principal</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: all sessions of the logged-in user, through the principal index</li>
  <li><a href="/logout">/logout</a>: destroys the session and clears the cookie</li>
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
  await session.regenerate(); // new id against session fixation; data is kept
  session.principal = user; // indexes the session under this user
  return c.text(`logged in as ${user}`);
});

app.get('/logout', async (c) => {
  await c.var.session.destroy();
  return c.text('logged out');
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

app.get('/sessions', async (c) => {
  const session = c.var.session;
  if (session.principal === null) return c.json({ error: 'log in first' }, 401);
  const found = await repository.findByPrincipal(session.principal);
  return c.json(
    [...found.values()].map((s) => ({
      id: maskSessionId(s.id),
      current: s.id === session.id,
      createdAt: new Date(s.createdAt).toISOString(),
      lastAccessedAt: new Date(s.lastAccessedAt).toISOString(),
    })),
  );
});

// Store failures and other session errors arrive here as typed errors with a stable `code`.
app.onError((error, c) => {
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
  console.log(`@sess demo (hono + @sess/fetch + memory) listening on http://${hostname}:${info.port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      void repository.close().then(() => process.exit(0));
    });
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
