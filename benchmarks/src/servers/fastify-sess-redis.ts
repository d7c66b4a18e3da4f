import { session } from '@sess/fastify';
import Fastify from 'fastify';
import { sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';
import { sessRedisRepository } from './sess-redis-repository.js';
import { principalOf, signedInAttributes } from './signed-in.js';

// Our stack: @sess/fastify + @sess/redis on a user-built ioredis client.
const repository = await sessRedisRepository();

const app = Fastify();
await app.register(session({ repository, cookie: sessCookie() }));
app.get('/inc', async (request) => {
  const count = ((request.session.get('count') as number | undefined) ?? 0) + 1;
  request.session.set('count', count);
  return String(count);
});
let users = 0;
app.get('/login', async (request) => {
  await request.session.regenerate(); // what a login does: a new id for the now privileged session
  const user = ++users;
  for (const [name, value] of Object.entries(signedInAttributes(user))) request.session.set(name, value);
  request.session.principal = principalOf(user);
  return 'signed in';
});
app.get('/read', async (request) => String(request.session.get('count') ?? 0));
announce(app.server);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
