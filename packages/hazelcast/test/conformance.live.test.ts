/**
 * The whole conformance kit against a real Hazelcast cluster. Runs only when HAZELCAST_MEMBERS is set
 * (a comma-separated host:port list); CI does not set it and runs conformance.double.test.ts instead.
 *
 *   docker run --rm -p 5701:5701 hazelcast/hazelcast:5.5
 *   HAZELCAST_MEMBERS=127.0.0.1:5701 pnpm --filter @sess/hazelcast test
 *
 * Optional: HAZELCAST_CLUSTER_NAME (default "dev", the image's default). Each suite uses its own map,
 * destroyed afterwards. When HAZELCAST_MEMBERS is set, an unreachable cluster fails the run.
 */
import { defineStoreConformance } from '@sess/testkit';
import { Client, HazelcastJsonValue, type IMap } from 'hazelcast-client';
import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import { HazelcastStore } from '../src/index.js';

const members = (process.env.HAZELCAST_MEMBERS ?? '')
  .split(',')
  .map((member) => member.trim())
  .filter((member) => member.length > 0);

if (members.length === 0) {
  const why =
    'HAZELCAST_MEMBERS is not set, so the live suite is skipped (CI ran the kit against the in-process double). ' +
    'Start a member with `docker run --rm -p 5701:5701 hazelcast/hazelcast:5.5` and run ' +
    '`HAZELCAST_MEMBERS=127.0.0.1:5701 pnpm --filter @sess/hazelcast test`';
  console.info(`[@sess/hazelcast] ${why}`);
  describe('hazelcast live conformance', () => {
    it.skip(why);
  });
} else {
  // A member's expiration task runs every 5 s, so store-delivered 'expired' events take that long.
  vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
  let client: Client | undefined;
  const created: IMap<string, HazelcastJsonValue>[] = [];
  const run = Math.random().toString(36).slice(2, 8);
  let suite = 0;

  beforeAll(async () => {
    client = await Client.newHazelcastClient({
      clusterName: process.env.HAZELCAST_CLUSTER_NAME ?? 'dev',
      network: { clusterMembers: members },
      connectionStrategy: { connectionRetry: { clusterConnectTimeoutMillis: 15_000 } },
    });
  });

  afterAll(async () => {
    await Promise.allSettled(created.map((map) => map.destroy()));
    // This client belongs to the test, not to a store: the store never shuts a client down.
    await client?.shutdown();
  });

  const live = () => {
    if (!client) throw new Error('Hazelcast client not connected');
    return client;
  };

  defineStoreConformance({
    name: `hazelcast (live cluster at ${members.join(', ')})`,
    async createStore() {
      const mapName = `sess-conformance-${run}-${++suite}`;
      created.push(await live().getMap<string, HazelcastJsonValue>(mapName));
      return new HazelcastStore({ client: live(), mapName, operationTimeoutMs: 10_000 });
    },
    inspect: {
      // containsKey expires a due entry on access, like every read on a member.
      exists: async ({ mapName }, id) => (await live().getMap(mapName)).containsKey(id),
    },
    async corrupt({ mapName }, id, kind) {
      const map = await live().getMap<string, HazelcastJsonValue>(mapName);
      if (kind === 'unreadable') {
        await map.put(id, new HazelcastJsonValue('{"$sess":1,"ver":'));
        return;
      }
      // out-of-range: the stored document with an idle timeout no session can have.
      const stored: unknown = await map.get(id);
      if (stored === null) throw new Error(`no entry to corrupt for ${id}`);
      const text = stored instanceof HazelcastJsonValue ? stored.toString() : JSON.stringify(stored);
      const huge = text.replace(/"maxInactiveMs":\d+/, '"maxInactiveMs":9223372036854775807');
      await map.put(id, new HazelcastJsonValue(huge));
    },
    expiryLatencyMs: 30_000,
    eventLatencyMs: 5_000,
  });
}
