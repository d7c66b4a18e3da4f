import { createSessionRepository } from '@sess/core';
import { session } from '@sess/express';
import { MemoryStore } from '@sess/memory';
import express from 'express';
import { SESS_IDLE_TIMEOUT, sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';

const app = express();
const repository = createSessionRepository({ store: new MemoryStore(), ...SESS_IDLE_TIMEOUT });
app.use(session({ repository, cookie: sessCookie() }));
app.get('/inc', (req, res) => {
  const count = ((req.session.get('count') as number | undefined) ?? 0) + 1;
  req.session.set('count', count);
  res.send(String(count));
});
app.get('/read', (req, res) => {
  res.send(String(req.session.get('count') ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
