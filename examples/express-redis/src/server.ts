import type { AddressInfo } from 'node:net';
import { createSessionRepository, maskSessionId } from '@sess/core';
import { session } from '@sess/express';
import { RedisStore } from '@sess/redis';
import express, { type ErrorRequestHandler, type Response } from 'express';
import { Redis } from 'ioredis';

/** What this app keeps in a session; `sessions.of(req)` types attribute access with it. */
interface AppSession {
  count: number;
  [attribute: string]: unknown;
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The URL for messages and pages: never the password (nor a user name that might be a token). */
const shownUrl = maskCredentials(redisUrl);
// The client options packages/redis/README.md recommends: fail fast instead of queueing while Redis is
// down, never re-send a command after a reconnect, keep reconnecting (that is how the store recovers).
const client = new Redis(redisUrl, {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 3000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
});
let lastRedisError = '';
let started = false;
client.on('error', (error: Error) => {
  // Reconnection attempts repeat the same error: log it once per distinct message (after startup).
  if (started && error.message !== lastRedisError) console.warn(`redis: ${maskCredentials(error.message)}`);
  lastRedisError = error.message;
});
client.on('ready', () => {
  lastRedisError = '';
});

// With enableOfflineQueue off, commands are refused until the client is ready: connect before serving,
// and refuse to start (rather than hang) when Redis cannot be reached.
try {
  // connectTimeout bounds the TCP connect; this also bounds a server that accepts but never answers.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.connect(),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
    }),
  ]).finally(() => clearTimeout(timer));
} catch (error) {
  client.disconnect();
  const reason = lastRedisError || (error instanceof Error ? error.message : String(error));
  console.error(
    `Cannot reach Redis at ${shownUrl} (${maskCredentials(reason)}); start Redis or set REDIS_URL`,
  );
  process.exit(1);
}
started = true;

const store = new RedisStore({ client, prefix: process.env.SESS_PREFIX ?? 'example:sess:' });
// The event subscription is up before the first request (or the app refuses to start, in one line).
await store.ready(5000).catch((error: unknown) => {
  console.error(
    `Redis at ${shownUrl} is not usable: ${maskCredentials(error instanceof Error ? error.message : String(error))}`,
  );
  process.exit(1);
});
const repository = createSessionRepository<AppSession>({
  store,
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});
const sessions = session({ repository, cookie: { name: 'sid' } });

const app = express();
app.use(sessions);

app.get('/', (_req, res) => {
  res.type('html').send(`<!doctype html><title>@sess example</title>
<h1>@sess example: Express + Redis store</h1>
<p>Sessions live in Redis at ${shownUrl}. Routes:
<a href="/inc">/inc</a>, <a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a>,
<a href="/get?k=color">/get?k=color</a>, <a href="/login?user=alice">/login?user=alice</a>,
<a href="/me">/me</a>, <a href="/sessions">/sessions</a>, <a href="/logout">/logout</a>.</p>`);
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

// Store failures (Redis down or slow) arrive here as typed errors with a stable `code`.
const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'UNEXPECTED';
  // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
  const status = code === 'STORE_UNAVAILABLE' ? 503 : code === 'INVALID_DATA' ? 400 : 500;
  res.status(status).json({ error: code });
};
app.use(onError);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`@sess example (express + redis) listening on http://${host}:${bound}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => {
      // The repository (sweeper, subscriber) first, then the client it uses.
      void repository
        .close()
        .then(() => client.quit())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    server.closeAllConnections();
  });
}

/** Replaces the credentials of every URL in `text` (`redis://user:secret@host` -> `redis://***@host`). */
function maskCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1***@');
}
