import { defineStoreConformance } from '@sess/testkit';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { hasRedisServerBinary, type RedisProcess, startCluster, unavailable } from './redis-servers.js';

/** Loopback ports of the private 3-master cluster this file starts and stops. */
const PORTS = [7101, 7102, 7103];
const available =
  hasRedisServerBinary() || unavailable('redis-server / redis-cli (to start a Redis Cluster)');

if (available) {
  let nodes: RedisProcess[] = [];
  let client: Cluster | undefined;
  let inspector: Cluster | undefined;
  let peerClient: Cluster | undefined;
  let suite = 0;
  const cluster = (options: ConstructorParameters<typeof Cluster>[1] = {}) =>
    new Cluster(
      PORTS.map((port) => ({ host: '127.0.0.1', port })),
      options,
    );

  beforeAll(async () => {
    nodes = await startCluster(PORTS);
    client = cluster({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 0 } });
    inspector = cluster();
    peerClient = cluster({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 0 } });
    await Promise.all([client, peerClient].map((c) => new Promise((resolve) => c!.once('ready', resolve))));
  }, 60_000);

  afterAll(async () => {
    client?.disconnect();
    peerClient?.disconnect();
    inspector?.disconnect();
    await Promise.all(nodes.map((node) => node.stop()));
  });

  describe('redis cluster layout', () => {
    it('spreads the buckets over all three masters', async () => {
      const store = new RedisStore({
        client: client!,
        prefix: 'layout-check:',
        sweeper: false,
        events: false,
      });
      const slots = new Set<number>();
      for (let bucket = 0; bucket < store.layout.buckets; bucket++) {
        slots.add(Number(await inspector!.cluster('KEYSLOT', store.layout.expiries(bucket))));
      }
      const owners = new Set(
        [...slots].map((slot) => (inspector!.slots[slot] ?? [])[0]).filter((node) => node !== undefined),
      );
      expect(owners.size).toBe(3);
      await store.close();
    });
  });

  defineStoreConformance({
    name: 'redis (3-master cluster)',
    createStore: async () => {
      const store = new RedisStore({
        client: client!,
        prefix: `cluster-test:${++suite}:`,
        sweepIntervalMs: 250,
      });
      await store.ready();
      return store;
    },
    createPeer: async (store) => {
      const peer = new RedisStore({
        client: peerClient!,
        prefix: store.layout.prefix,
        sweepIntervalMs: 250,
      });
      await peer.ready();
      return peer;
    },
    inspect: {
      async exists({ layout }, id) {
        const bucket = layout.bucketOf(id);
        const [key, schedule, owner] = await Promise.all([
          inspector!.exists(layout.session(id)),
          inspector!.zscore(layout.expiries(bucket), id),
          inspector!.hexists(layout.owners(bucket), id),
        ]);
        return key === 1 || schedule !== null || owner === 1;
      },
    },
    async corrupt({ layout }, id, kind) {
      // unreadable: a key of the wrong type (KEEPTTL: it still expires); out-of-range: an idle
      // timeout no session can have.
      if (kind === 'unreadable') await inspector!.set(layout.session(id), 'not a hash', 'KEEPTTL');
      else await inspector!.hset(layout.session(id), 'm:idle', '9223372036854775807');
    },
    scale: 10_000,
  });
} else {
  describe.skip('redis (3-master cluster)', () => {
    it('needs redis-server and redis-cli', () => undefined);
  });
}
