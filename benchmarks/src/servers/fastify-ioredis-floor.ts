import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { announce } from './listen.js';
import { connectIoredis } from './sess-redis-repository.js';

// The floor of any Redis-backed session on Fastify (see express-ioredis-floor.ts): per request the two
// round trips a session needs on a plain ioredis client, and nothing else.
const client = await connectIoredis();
const prefix = process.env.SESS_PREFIX ?? 'bench:floor:';

const app = Fastify();
app.get('/inc', async (request, reply) => {
  let key = request.headers.cookie;
  if (key === undefined) {
    key = `sid=${randomBytes(32).toString('base64url')}`;
    reply.header('set-cookie', `${key}; Path=/; HttpOnly`);
  }
  const count = Number((await client.get(prefix + key)) ?? 0) + 1;
  await client.set(prefix + key, String(count), 'PX', 1_800_000);
  return String(count);
});
app.get('/read', async (request) => (await client.get(prefix + request.headers.cookie)) ?? '0');
announce(app.server);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
