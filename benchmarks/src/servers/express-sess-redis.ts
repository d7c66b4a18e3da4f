import { createSessionRepository } from '@sess/core';
import { session } from '@sess/express';
import { RedisStore } from '@sess/redis';
import express from 'express';
import { Redis } from 'ioredis';
import { announce } from './listen.js';

// Our stack: @sess/express + @sess/redis on a user-built ioredis client with the options the store's
// README recommends. AUTO_PIPELINING=1 turns on ioredis' enableAutoPipelining; BATCH_WRITES=0 turns off
// the store's own write batching.
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  enableAutoPipelining: process.env.AUTO_PIPELINING === '1',
});
await new Promise<void>((resolve, reject) => {
  client.once('ready', resolve);
  client.once('error', reject);
});
const store = new RedisStore({
  client,
  prefix: process.env.SESS_PREFIX ?? 'bench:sess:',
  batchWrites: process.env.BATCH_WRITES !== '0',
});
await store.ready();
const repository = createSessionRepository({ store });

const app = express();
app.use(session({ repository }));
app.get('/inc', (req, res) => {
  const count = ((req.session.get('count') as number | undefined) ?? 0) + 1;
  req.session.set('count', count);
  res.send(String(count));
});
app.get('/read', (req, res) => {
  res.send(String(req.session.get('count') ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
