import { cookieSessions } from '@sess/cookie';
import { createSessionRepository } from '@sess/core';
import { session } from '@sess/express';
import { MemoryStore } from '@sess/memory';
import express from 'express';
import { announce } from './listen.js';

// @sess/express with the session sealed in the cookie, configured as docs/cookie.md tells a user:
// one 32+ character secret, idle timeout 30 min, persistent cookie (like iron-session's). DENY=1 adds
// the deny-list (an in-process MemoryStore), which costs one deny-list read per request.
const cookies = cookieSessions({
  secrets: ['benchmark-secret-benchmark-secret-benchmark'],
  cookie: { persistent: true },
  ...(process.env.DENY === '1' ? { denyList: new MemoryStore() } : {}),
});
const repository = createSessionRepository({ store: cookies.store, idleTimeoutMs: 30 * 60_000 });
const app = express();
app.use(session({ repository, idResolver: cookies.idResolver }));
app.get('/inc', (req, res) => {
  const count = ((req.session.get('count') as number | undefined) ?? 0) + 1;
  req.session.set('count', count);
  res.send(String(count));
});
app.get('/read', (req, res) => {
  res.send(String(req.session.get('count') ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
