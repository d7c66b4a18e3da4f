import { randomBytes } from 'node:crypto';
import express from 'express';
import { announce } from './listen.js';
import { connectIoredis } from './sess-redis-repository.js';

// The floor of any Redis-backed session on Express: per request, the two round trips a session needs
// (read the session, write it back with its TTL) on a plain ioredis client, and nothing else: no cookie
// parsing or id checks, no serialization beyond String(), no expiry logic, no events, no index. What a
// real session library costs on top of this is the price of its features.
const client = await connectIoredis();
const prefix = process.env.SESS_PREFIX ?? 'bench:floor:';

const app = express();
app.get('/inc', async (req, res) => {
  // "sid=<id>" as the client sent it; a request without one gets a new id.
  let key = req.headers.cookie;
  if (key === undefined) {
    key = `sid=${randomBytes(32).toString('base64url')}`;
    res.setHeader('set-cookie', `${key}; Path=/; HttpOnly`);
  }
  const count = Number((await client.get(prefix + key)) ?? 0) + 1;
  await client.set(prefix + key, String(count), 'PX', 1_800_000);
  res.send(String(count));
});
app.get('/read', async (req, res) => {
  res.send((await client.get(prefix + req.headers.cookie)) ?? '0');
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
