import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';

// The anchor: @fastify/session with its bundled memory store, configured like @sess's defaults (no
// session until written, no store write or Set-Cookie for an unchanged session: rolling is on by
// default there and would re-save every session on every request). It signs its cookie; ours is
// unsigned by default (256-bit random ids).
const app = Fastify();
await app.register(fastifyCookie);
await app.register(fastifySession, {
  secret: SECRET,
  cookieName: 'sid',
  saveUninitialized: false,
  rolling: false,
  cookie: { secure: false, maxAge: ONE_DAY_MS },
});
app.get('/inc', async (request) => {
  const count = ((request.session.get('count') as number | undefined) ?? 0) + 1;
  request.session.set('count', count);
  return String(count);
});
app.get('/read', async (request) => String(request.session.get('count') ?? 0));
announce(app.server);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
