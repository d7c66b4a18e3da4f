import { createSessionRepository, type SessionRepository } from '@sess/core';
import { RedisStore } from '@sess/redis';
import { Redis } from 'ioredis';
import { SESS_IDLE_TIMEOUT } from './cookie-settings.js';

/** An ioredis client with the options @sess/redis' README recommends, connected. */
export async function connectIoredis(options: { autoPipelining?: boolean } = {}): Promise<Redis> {
  const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: options.autoPipelining ?? false,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  return client;
}

/**
 * Our stack's repository on @sess/redis, as the benchmark servers of every framework use it.
 * AUTO_PIPELINING=1 turns on ioredis' enableAutoPipelining; BATCH_WRITES=0 turns off the store's own
 * write batching.
 */
export async function sessRedisRepository(): Promise<SessionRepository> {
  const client = await connectIoredis({ autoPipelining: process.env.AUTO_PIPELINING === '1' });
  const store = new RedisStore({
    client,
    prefix: process.env.SESS_PREFIX ?? 'bench:sess:',
    batchWrites: process.env.BATCH_WRITES !== '0',
  });
  await store.ready();
  return createSessionRepository({ store, ...SESS_IDLE_TIMEOUT });
}
