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
  const unreachable: Redis[] = [];
  let suite = 0;

  afterAll(async () => {
    await deleteKeys(inspector, `${run}*`);
    client.disconnect();
    peerClient.disconnect();
    inspector.disconnect();
    for (const down of unreachable) down.disconnect();
  });

  defineStoreConformance({
    name: 'redis (standalone)',
    createStore: async () => {
      // Each suite gets its own prefix, so suites never see each other's sessions or events.
      const store = new RedisStore({ client, prefix: `${run}${++suite}:`, sweepIntervalMs: 250 });
      await store.ready();
      return store;
    },
    createPeer: async (store) => {
      const peer = new RedisStore({ client: peerClient, prefix: store.layout.prefix, sweepIntervalMs: 250 });
      await peer.ready();
      return peer;
    },
    inspect: {
      async exists({ layout }, id) {
        const bucket = layout.bucketOf(id);
        const [key, schedule, owner] = await Promise.all([
          inspector.exists(layout.session(id)),
          inspector.zscore(layout.expiries(bucket), id),
          inspector.hexists(layout.owners(bucket), id),
        ]);
        return key === 1 || schedule !== null || owner === 1;
      },
    },
    async corrupt({ layout }, id, kind) {
      const key = layout.session(id);
      if ((await inspector.exists(key)) !== 1) throw new Error(`no session hash to corrupt for ${id}`);
      // unreadable: a key of the wrong type where the session hash should be (KEEPTTL: it still
      // expires); out-of-range: an idle timeout no session can have, the field otherwise intact.
      if (kind === 'unreadable') await inspector.set(key, 'not a hash', 'KEEPTTL');
      else await inspector.hset(key, 'm:idle', '9223372036854775807');
    },
    // A client of a port nothing listens on, failing fast as the README recommends.
    createUnavailable: ({ layout }) => {
      const down = new Redis({
        host: '127.0.0.1',
        port: 1,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      down.on('error', () => undefined); // each refused connection is also emitted; the calls reject
      unreachable.push(down);
      return new RedisStore({ client: down, prefix: layout.prefix, events: false });
    },
    scale: 10_000,
  });
} else {
  describe.skip(`redis (standalone) at ${REDIS_URL}`, () => {
    it('needs a reachable Redis', () => undefined);
  });
}
