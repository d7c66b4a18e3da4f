import { RedisStore } from '@sess/redis';
import { defineAdapterConformance } from '@sess/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, it } from 'vitest';
import { startExpressFixture } from './fixture-app.js';
import { deleteKeys, REDIS_URL, requireRedis, runPrefix } from './redis-env.js';

// The adapter kit over real HTTP through Express, with every session in the real Redis: among others,
// "50 concurrent requests on one session each setting a different attribute leave all 50".
const prefix = runPrefix('kit');

if (await requireRedis('the adapter kit on Redis')) {
  // The client options packages/redis/README.md recommends.
  const client = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  let fixture = 0;

  afterAll(async () => {
    await deleteKeys(client, `${prefix}*`);
    await client.quit();
  });

  defineAdapterConformance({
    name: 'express 5 + redis',
    createStore: async () => {
      const store = new RedisStore({ client, prefix: `${prefix}${++fixture}:` });
      await store.ready();
      return store;
    },
    start: startExpressFixture,
  });
} else {
  describe.skip(`express 5 + redis at ${REDIS_URL}`, () => {
    it('needs a reachable Redis', () => undefined);
  });
}
