/**
 * The example route contract (DESIGN.md), driven over HTTP against src/server.ts on a live Hazelcast
 * cluster: two private members the run starts (packages/hazelcast/test/members), or the cluster
 * HAZELCAST_MEMBERS names. Without Java/Maven and without CI it is skipped with the reason.
 */
import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';
import { afterAll, describe, it } from 'vitest';
// Test-only, by relative path: the member helpers are not part of @sess/hazelcast's published API.
import { connect, liveCluster } from '../../../packages/hazelcast/test/members/live-cluster.js';

const { cluster, skip } = liveCluster();

if (cluster === null) {
  describe('example route contract: koa-hazelcast (live cluster)', () => {
    it.skip(skip);
  });
} else {
  // A map of this run alone, destroyed afterwards, so runs never see each other's sessions.
  const mapName = `sess-example-koa-${process.pid}-${Date.now().toString(36)}`;

  defineExampleContract({
    name: 'koa-hazelcast',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      HAZELCAST_MEMBERS: cluster.members.join(','),
      HAZELCAST_CLUSTER_NAME: cluster.clusterName,
      SESS_MAP_NAME: mapName,
    },
  });

  afterAll(async () => {
    const client = await connect(cluster);
    try {
      await (await client.getMap(mapName)).destroy();
    } finally {
      await client.shutdown();
    }
  });
}
