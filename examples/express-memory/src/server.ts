import { createSessionRepository, maskSessionId } from '@sess/core';
import { session } from '@sess/express';
import { MemoryStore } from '@sess/memory';
import express, { type ErrorRequestHandler, type Response } from 'express';

/** What this app keeps in a session; `sessions.of(req)` types attribute access with it. */
interface AppSession {
  count: number;
  [attribute: string]: unknown;
}

const repository = createSessionRepository<AppSession>({
  store: new MemoryStore(),
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});
const sessions = session({ repository, cookie: { name: 'sid' } });

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
let boundPort = port;

const app = express();
app.use(sessions);

app.get('/', (_req, res) => {
  // The address we listen on, not the request's Host header: the page echoes no request input.
  const origin = `http://${host}:${boundPort}`;
  res.type('html').send(`<!doctype html><title>@sess demo</title>
<h1>@sess demo: Express + memory store</h1>
<p>Every link below is a route of the example contract. Watch the <code>sid</code> cookie in your browser's dev tools.</p>
<ul>
  <li><a href="/inc">/inc</a>: count visits in the session (the first write creates the session and sets the cookie)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: rotates the session id (old one stops working), sets the principal</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: all sessions of the logged-in user, found through the principal index (log in from two browsers)</li>
  <li><a href="/logout">/logout</a>: destroys the session and clears the cookie</li>
</ul>
<p>From a shell: <code>curl -c jar -b jar ${origin}/inc</code> (repeat it), then <code>curl -c jar -b jar '${origin}/login?user=alice'</code>.</p>`);
});

/**
 * One query parameter as a string; undefined when it is missing, repeated (`?k=a&k=b` parses to an
 * array) or nested (`?k[x]=1` parses to an object). Such requests get a 400, never a 500.
 */
function param(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Plain text: never HTML, so nothing echoed from the request can run as a script. */
function text(res: Response, body: string, status = 200): void {
  res.status(status).type('text/plain').send(body);
}

app.get('/login', async (req, res) => {
  const user = param(req.query.user);
  if (!user) {
    text(res, 'user is required, once', 400);
    return;
  }
  const s = sessions.of(req);
  await s.regenerate(); // new id against session fixation; data is kept
  s.principal = user; // indexes the session under this user
  text(res, `logged in as ${user}`);
});

app.get('/logout', async (req, res) => {
  await req.session.destroy();
  text(res, 'logged out');
});

app.get('/me', (req, res) => {
  const user = req.session.principal;
  if (user === null) res.status(401).json({ user: null });
  else res.json({ user });
});

app.get('/inc', (req, res) => {
  const s = sessions.of(req);
  const count = (s.get('count') ?? 0) + 1;
  s.set('count', count);
  text(res, String(count));
});

app.get('/set', (req, res) => {
  const key = param(req.query.k);
  const value = param(req.query.v);
  if (!key || value === undefined) {
    text(res, 'k and v are required, once each', 400);
    return;
  }
  req.session.set(key, value);
  text(res, 'ok');
});

app.get('/get', (req, res) => {
  const key = param(req.query.k);
  if (!key) {
    text(res, 'k is required, once', 400);
    return;
  }
  res.json(req.session.get(key) ?? null);
});

app.get('/sessions', async (req, res) => {
  const user = req.session.principal;
  if (user === null) {
    res.status(401).json({ error: 'log in first' });
    return;
  }
  const found = await repository.findByPrincipal(user);
  res.json(
    [...found.values()].map((s) => ({
      id: maskSessionId(s.id),
      current: s.id === req.session.id,
      createdAt: new Date(s.createdAt).toISOString(),
      lastAccessedAt: new Date(s.lastAccessedAt).toISOString(),
    })),
  );
});

// Store failures and other session errors arrive here as typed errors with a stable `code`.
const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'UNEXPECTED';
  // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
  const status = code === 'STORE_UNAVAILABLE' ? 503 : code === 'INVALID_DATA' ? 400 : 500;
  res.status(status).json({ error: code });
};
app.use(onError);

const server = app.listen(port, host, () => {
  const address = server.address();
  boundPort = typeof address === 'object' && address ? address.port : port;
  console.log(`@sess demo (express + memory) listening on http://${host}:${boundPort}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => {
      void repository.close().then(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}
