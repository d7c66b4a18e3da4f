import { createSessionRepository, isSessionError, maskSessionId } from '@sess/core';
import { session } from '@sess/fastify';
import { PostgresStore } from '@sess/postgres';
import Fastify from 'fastify';
import pg from 'pg';

/** What this app keeps in a session; `sessions.of(request)` types attribute access with it. */
interface AppSession {
  count: number;
  [attribute: string]: unknown;
}

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The example keeps its table in a schema of its own, so it never touches an application's tables.
const schema = process.env.SESS_SCHEMA ?? 'sess_example';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
/** The URL without its password, for messages. */
const shownUrl = databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

// The pool is ours: the store only borrows it. Fail fast when the database cannot be reached.
const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: 10,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});
// An idle connection dying (database restart) emits 'error'; unhandled, it would end the process.
pool.on('error', (error) => console.warn(`postgres: idle connection lost (${error.message})`));

const store = new PostgresStore({ pool, schema });
try {
  await store.migrate(); // idempotent: creates the schema and table on first start, no DDL afterwards
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
  console.error(`Cannot use PostgreSQL at ${shownUrl} (${reason}); start PostgreSQL or set DATABASE_URL`);
  await Promise.allSettled([store.close(), pool.end()]);
  process.exit(1);
}

const repository = createSessionRepository<AppSession>({
  store,
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});
const sessions = session({ repository, cookie: { name: 'sid' } });

const app = Fastify();
// fastify-plugin inside: registered at the root, every route of the app has request.session.
await app.register(sessions);

app.get('/', async (_request, reply) => {
  reply.type('text/html');
  return `<!doctype html><title>@sess example</title>
<h1>@sess example: Fastify + PostgreSQL store</h1>
<p>Sessions live in the table <code>"${schema}"."sess_sessions"</code> at ${shownUrl}.</p>
<ul>
  <li><a href="/inc">/inc</a>: count visits in the session (the first write creates the session and sets the cookie)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: rotates the session id, sets the principal</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: all sessions of the logged-in user, through the principal index</li>
  <li><a href="/logout">/logout</a>: destroys the session and clears the cookie</li>
</ul>`;
});

/**
 * Query parameters as Fastify parses them: a repeated one (`?k=a&k=b`) is an array. Routes take one
 * string each, and answer 400 when it is missing or repeated (a 500 from a TypeError otherwise).
 */
type Query = Record<string, string | string[] | undefined>;

function param(query: Query, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

app.get<{ Querystring: Query }>('/login', async (request, reply) => {
  const user = param(request.query, 'user');
  if (!user) return reply.code(400).type('text/plain').send('user is required, once');
  const s = sessions.of(request);
  await s.regenerate(); // new id against session fixation; data is kept
  s.principal = user; // indexes the session under this user (the principal column)
  return reply.type('text/plain').send(`logged in as ${user}`);
});

app.get('/logout', async (request, reply) => {
  await request.session.destroy();
  return reply.type('text/plain').send('logged out');
});

app.get('/me', async (request, reply) => {
  const user = request.session.principal;
  if (user === null) return reply.code(401).send({ user: null });
  return { user };
});

app.get('/inc', async (request, reply) => {
  const s = sessions.of(request);
  const count = (s.get('count') ?? 0) + 1;
  s.set('count', count);
  return reply.type('text/plain').send(String(count));
});

app.get<{ Querystring: Query }>('/set', async (request, reply) => {
  const k = param(request.query, 'k');
  const v = param(request.query, 'v');
  if (!k || v === undefined)
    return reply.code(400).type('text/plain').send('k and v are required, once each');
  request.session.set(k, v);
  return reply.type('text/plain').send('ok');
});

app.get<{ Querystring: Query }>('/get', async (request, reply) => {
  const k = param(request.query, 'k');
  if (!k) return reply.code(400).type('text/plain').send('k is required, once');
  // reply.send with a string would go out as text: serialize so that null is JSON too
  return reply.type('application/json').send(JSON.stringify(request.session.get(k) ?? null));
});

app.get('/sessions', async (request, reply) => {
  const user = request.session.principal;
  if (user === null) return reply.code(401).send({ error: 'log in first' });
  const found = await repository.findByPrincipal(user); // served by the partial principal index
  return [...found.values()].map((s) => ({
    id: maskSessionId(s.id),
    current: s.id === request.session.id,
    createdAt: new Date(s.createdAt).toISOString(),
    lastAccessedAt: new Date(s.lastAccessedAt).toISOString(),
  }));
});

// Store failures (database down or slow) arrive here as typed errors with a stable `code`.
app.setErrorHandler(async (error, request, reply) => {
  if (isSessionError(error)) {
    // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
    const status = error.code === 'STORE_UNAVAILABLE' ? 503 : error.code === 'INVALID_DATA' ? 400 : 500;
    return reply.code(status).send({ error: error.code });
  }
  request.log.error(error);
  return reply.code(500).send({ error: 'UNEXPECTED' });
});

app.addHook('onClose', async () => {
  await repository.close(); // stops the cleanup timer and the LISTEN connection; the pool stays ours
});

try {
  await app.listen({ port, host });
} catch (error) {
  console.error(`Cannot listen on ${host}:${port} (${error instanceof Error ? error.message : error})`);
  await Promise.allSettled([repository.close(), pool.end()]);
  process.exit(1);
}
const address = app.server.address();
const bound = typeof address === 'object' && address ? address.port : port;
console.log(`@sess example (fastify + postgres) listening on http://${host}:${bound}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Fastify waits for requests in flight, then onClose closes the repository; the pool goes last.
    void app
      .close()
      .then(() => pool.end())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`shutdown failed: ${error instanceof Error ? error.message : error}`);
          process.exit(1);
        },
      );
  });
}
