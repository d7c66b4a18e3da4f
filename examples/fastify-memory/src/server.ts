import { createSessionRepository, isSessionError, maskSessionId } from '@sess/core';
import { session } from '@sess/fastify';
import { MemoryStore } from '@sess/memory';
import Fastify from 'fastify';

/** What this app keeps in a session; `sessions.of(request)` types attribute access with it. */
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

const app = Fastify();
// fastify-plugin inside: registered at the root, every route of the app has request.session.
await app.register(sessions);

app.get('/', async (_request, reply) => {
  reply.type('text/html');
  return `<!doctype html><title>@sess demo</title>
<h1>@sess demo: Fastify + memory store</h1>
<ul>
  <li><a href="/inc">/inc</a>: count visits in the session (the first write creates the session and sets the cookie)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: rotates the session id, sets the principal</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: all sessions of the logged-in user, through the principal index</li>
  <li><a href="/logout">/logout</a>: destroys the session and clears the cookie</li>
</ul>
<p>From a shell: <code>curl -c jar -b jar http://${host}:${port}/inc</code></p>`;
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
  s.principal = user; // indexes the session under this user
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
  const found = await repository.findByPrincipal(user);
  return [...found.values()].map((s) => ({
    id: maskSessionId(s.id),
    current: s.id === request.session.id,
    createdAt: new Date(s.createdAt).toISOString(),
    lastAccessedAt: new Date(s.lastAccessedAt).toISOString(),
  }));
});

// Store failures and other session errors arrive here as typed errors with a stable `code`.
app.setErrorHandler(async (error, _request, reply) => {
  if (isSessionError(error)) {
    // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
    const status = error.code === 'STORE_UNAVAILABLE' ? 503 : error.code === 'INVALID_DATA' ? 400 : 500;
    return reply.code(status).send({ error: error.code });
  }
  console.error(error);
  return reply.code(500).send({ error: 'UNEXPECTED' });
});

app.addHook('onClose', async () => {
  await repository.close();
});

await app.listen({ port, host });
const address = app.server.address();
const bound = typeof address === 'object' && address ? address.port : port;
console.log(`@sess demo (fastify + memory) listening on http://${host}:${bound}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
