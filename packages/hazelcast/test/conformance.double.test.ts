/**
 * The whole conformance kit against the in-process double (test/double), under both of the client's
 * JSON deserialization policies. This is what CI runs. It is not a cluster: see
 * conformance.live.test.ts for the suite that runs the same kit against real members.
 */
import { defineStoreConformance } from '@sess/testkit';
import { HazelcastJsonValue } from 'hazelcast-client';
import { afterAll } from 'vitest';
import { HazelcastStore } from '../src/index.js';
import { FakeCluster, type JsonPolicy } from './double/fake-hazelcast.js';

const cluster = new FakeCluster({ expirationTaskPeriodMs: 100 });
afterAll(() => cluster.shutdown());

for (const policy of ['EAGER', 'NO_DESERIALIZATION'] as const satisfies readonly JsonPolicy[]) {
  const client = cluster.newClient({ jsonStringDeserializationPolicy: policy });
  let suite = 0;
  let current = '';
  defineStoreConformance({
    name: `hazelcast (in-process double, ${policy} JSON policy)`,
    createStore: () => {
      current = `sess-conformance-${policy}-${++suite}`;
      return new HazelcastStore({ client, mapName: current });
    },
    // Another process: its own client of the same cluster, the same map.
    createPeer: (store) =>
      new HazelcastStore({
        client: cluster.newClient({ jsonStringDeserializationPolicy: policy }),
        mapName: (store as HazelcastStore).mapName,
      }),
    inspect: {
      async exists(id) {
        return (await client.getMap<string, HazelcastJsonValue>(current)).containsKey(id);
      },
    },
    async corrupt(id) {
      const map = await client.getMap<string, HazelcastJsonValue>(current);
      await map.put(id, new HazelcastJsonValue('{"$sess":1,"ver":'));
    },
    scale: policy === 'EAGER' ? 10_000 : 2_000,
    // The double's expiration task runs every 100 ms (a member's runs every 5 s by default).
    expiryLatencyMs: 2000,
    eventLatencyMs: 1000,
  });
}
