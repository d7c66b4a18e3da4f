/**
 * The example route contract (DESIGN.md), driven over HTTP against src/server.ts on a REAL Hazelcast
 * cluster. Runs only when HAZELCAST_MEMBERS is set; CI does not set it (see routes.double.test.ts for
 * what CI runs instead).
 *
 *   docker run --rm -p 5701:5701 hazelcast/hazelcast:5.5
 *   HAZELCAST_MEMBERS=127.0.0.1:5701 pnpm --filter example-koa-hazelcast test
 */
import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';
import { Client } from 'hazelcast-client';
import { afterAll, describe, it } from 'vitest';

const members = process.env.HAZELCAST_MEMBERS?.trim() ?? '';

if (members === '') {
  const why =
    'HAZELCAST_MEMBERS is not set, so the route contract against a real cluster is skipped. ' +
    'Start a member with `docker run --rm -p 5701:5701 hazelcast/hazelcast:5.5` and run ' +
    '`HAZELCAST_MEMBERS=127.0.0.1:5701 pnpm --filter example-koa-hazelcast test`';
  console.info(`[example-koa-hazelcast] ${why}`);
  describe('example route contract: koa-hazelcast (live cluster)', () => {
    it.skip(why);
  });
} else {
  // A map of this run alone, destroyed afterwards, so runs never see each other's sessions.
  const mapName = `sess-example-koa-${process.pid}-${Date.now().toString(36)}`;

  defineExampleContract({
    name: 'koa-hazelcast',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { HAZELCAST_MEMBERS: members, SESS_MAP_NAME: mapName },
  });

  afterAll(async () => {
    const client = await Client.newHazelcastClient({
      clusterName: process.env.HAZELCAST_CLUSTER_NAME ?? 'dev',
      network: { clusterMembers: members.split(',').map((member) => member.trim()) },
      connectionStrategy: { connectionRetry: { clusterConnectTimeoutMillis: 10_000 } },
    });
    try {
      await (await client.getMap(mapName)).destroy();
    } finally {
      await client.shutdown();
    }
  });
}
