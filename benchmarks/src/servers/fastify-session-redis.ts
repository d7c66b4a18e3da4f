import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import Fastify from 'fastify';
import { createClient } from 'redis';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';
import { signedInAttributes } from './signed-in.js';

// The anchor: @fastify/session with connect-redis 9 on node-redis 5 (the Redis store @fastify/session's
// README points to), configured like @sess's defaults: no session until written, and `rolling: false`
// (its default re-saves and re-sends every session on every request).
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
await client.connect();

const app = Fastify();
await app.register(fastifyCookie);
await app.register(fastifySession, {
  secret: SECRET,
  cookieName: 'sid',
  saveUninitialized: false,
  rolling: false,
  cookie: { secure: false, maxAge: ONE_DAY_MS },
  store: new RedisStore({ client, prefix: process.env.SESS_PREFIX ?? 'bench:fs:' }),
});
app.get('/inc', async (request) => {
  const count = ((request.session.get('count') as number | undefined) ?? 0) + 1;
  request.session.set('count', count);
  return String(count);
});
let users = 0;
app.get('/login', async (request) => {
  await request.session.regenerate(); // what a login does: a new id for the now privileged session
  for (const [name, value] of Object.entries(signedInAttributes(++users))) request.session.set(name, value);
  return 'signed in';
});
app.get('/read', async (request) => String(request.session.get('count') ?? 0));
announce(app.server);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
