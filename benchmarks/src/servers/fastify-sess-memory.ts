import { createSessionRepository } from '@sess/core';
import { session } from '@sess/fastify';
import { MemoryStore } from '@sess/memory';
import Fastify from 'fastify';
import { SESS_IDLE_TIMEOUT, sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';

const app = Fastify();
const repository = createSessionRepository({ store: new MemoryStore(), ...SESS_IDLE_TIMEOUT });
await app.register(session({ repository, cookie: sessCookie() }));
app.get('/inc', async (request) => {
  const count = ((request.session.get('count') as number | undefined) ?? 0) + 1;
  request.session.set('count', count);
  return String(count);
});
app.get('/read', async (request) => String(request.session.get('count') ?? 0));
announce(app.server);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
