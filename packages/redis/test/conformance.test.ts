import { defineStoreConformance } from '@sess/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { deleteKeys, REDIS_URL, reachable, unavailable } from './redis-servers.js';

const run = `sess-test:${process.pid}-${Date.now().toString(36)}:`;
const available = (await reachable(REDIS_URL)) || unavailable(`Redis at ${REDIS_URL} (set REDIS_URL)`);

if (available) {
  // Fail-fast settings the README recommends: no offline queue, few retries.
  const client = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const inspector = new Redis(REDIS_URL);
  // What another process of the application would use: its own client, the same prefix.
  const peerClient = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  let suite = 0;
  const layouts: RedisStore['layout'][] = [];

  afterAll(async () => {
    await deleteKeys(inspector, `${run}*`);
    client.disconnect();
    peerClient.disconnect();
    inspector.disconnect();
  });

  defineStoreConformance({
    name: 'redis (standalone)',
    createStore: async () => {
      // Each suite gets its own prefix, so suites never see each other's sessions or events.
      const store = new RedisStore({ client, prefix: `${run}${++suite}:`, sweepIntervalMs: 250 });
      layouts.push(store.layout);
      await store.ready();
      return store;
    },
    createPeer: async (store) => {
      const peer = new RedisStore({
        client: peerClient,
        prefix: (store as RedisStore).layout.prefix,
        sweepIntervalMs: 250,
      });
      await peer.ready();
      return peer;
    },
    inspect: {
      async exists(id) {
        for (const l of layouts) {
          const bucket = l.bucketOf(id);
          const [key, schedule, owner] = await Promise.all([
            inspector.exists(l.session(id)),
            inspector.zscore(l.expiries(bucket), id),
            inspector.hexists(l.owners(bucket), id),
          ]);
          if (key === 1 || schedule !== null || owner === 1) return true;
        }
        return false;
      },
    },
    async corrupt(id) {
      // A key of the wrong type where the session hash should be (KEEPTTL: it still expires).
      for (const l of layouts) {
        if ((await inspector.exists(l.session(id))) === 1)
          await inspector.set(l.session(id), 'not a hash', 'KEEPTTL');
      }
    },
    scale: 10_000,
  });
} else {
  describe.skip(`redis (standalone) at ${REDIS_URL}`, () => {
    it('needs a reachable Redis', () => undefined);
  });
}
