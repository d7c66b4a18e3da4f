import { session } from '@sess/express';
import express from 'express';
import { sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';
import { sessRedisRepository } from './sess-redis-repository.js';
import { principalOf, signedInAttributes } from './signed-in.js';

// Our stack: @sess/express + @sess/redis on a user-built ioredis client.
const repository = await sessRedisRepository();

const app = express();
app.use(session({ repository, cookie: sessCookie() }));
app.get('/inc', (req, res) => {
  const count = ((req.session.get('count') as number | undefined) ?? 0) + 1;
  req.session.set('count', count);
  res.send(String(count));
});
let users = 0;
app.get('/login', async (req, res) => {
  await req.session.regenerate(); // what a login does: a new id for the now privileged session
  const user = ++users;
  for (const [name, value] of Object.entries(signedInAttributes(user))) req.session.set(name, value);
  req.session.principal = principalOf(user);
  res.send('signed in');
});
app.get('/read', (req, res) => {
  res.send(String(req.session.get('count') ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
