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
  defineStoreConformance({
    name: `hazelcast (in-process double, ${policy} JSON policy)`,
    createStore: () => new HazelcastStore({ client, mapName: `sess-conformance-${policy}-${++suite}` }),
    // Another process: its own client of the same cluster, the same map.
    createPeer: ({ mapName }) =>
      new HazelcastStore({
        client: cluster.newClient({ jsonStringDeserializationPolicy: policy }),
        mapName,
      }),
    inspect: {
      async exists({ mapName }, id) {
        return (await client.getMap<string, HazelcastJsonValue>(mapName)).containsKey(id);
      },
    },
    async corrupt({ mapName }, id, kind) {
      const map = await client.getMap<string, HazelcastJsonValue>(mapName);
      if (kind === 'unreadable') {
        await map.put(id, new HazelcastJsonValue('{"$sess":1,"ver":'));
        return;
      }
      // out-of-range: the stored document with an idle timeout no session can have.
      const stored: unknown = await map.get(id);
      if (stored === null) throw new Error(`no entry to corrupt for ${id}`);
      const text = stored instanceof HazelcastJsonValue ? stored.toString() : JSON.stringify(stored);
      await map.put(
        id,
        new HazelcastJsonValue(text.replace(/"maxInactiveMs":\d+/, '"maxInactiveMs":9223372036854775807')),
      );
    },
    // A client of the same cluster that cannot reach it: every call fails (ClientOfflineError-like).
    createUnavailable: ({ mapName }) => {
      const down = cluster.newClient({ jsonStringDeserializationPolicy: policy });
      down.failWith(() => new Error('Client is offline'));
      return new HazelcastStore({ client: down, mapName, operationTimeoutMs: 500 });
    },
    scale: policy === 'EAGER' ? 10_000 : 2_000,
    // The double's expiration task runs every 100 ms (a member's runs every 5 s by default).
    expiryLatencyMs: 2000,
    eventLatencyMs: 1000,
  });
}
