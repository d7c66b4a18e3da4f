/**
 * What a live test file uses: the cluster globalSetup provided (or why there is none), and clients of
 * it. Import this only from test files run with test/members/global-setup.ts.
 */
import { Client, type ClientConfig, JsonStringDeserializationPolicy } from 'hazelcast-client';
import { inject } from 'vitest';
import type { LiveClusterInfo } from './hazelcast-members.js';
import './global-setup.js';

/** The shared live cluster, or the reason the live suites skip. */
export function liveCluster(): { cluster: LiveClusterInfo; skip: null } | { cluster: null; skip: string } {
  const setup = inject('hazelcast');
  return 'skip' in setup ? { cluster: null, skip: setup.skip } : { cluster: setup.cluster, skip: null };
}

/** A client as the README recommends it (raw JSON text), quiet, with a bounded first connection. */
export function connect(
  cluster: Pick<LiveClusterInfo, 'clusterName' | 'members'>,
  config: ClientConfig = {},
): Promise<Client> {
  const { network, serialization, properties, ...rest } = config;
  return Client.newHazelcastClient({
    clusterName: cluster.clusterName,
    connectionStrategy: { connectionRetry: { clusterConnectTimeoutMillis: 20_000 } },
    ...rest,
    network: { clusterMembers: [...cluster.members], ...network },
    serialization: {
      jsonStringDeserializationPolicy: JsonStringDeserializationPolicy.NO_DESERIALIZATION,
      ...serialization,
    },
    properties: { 'hazelcast.logging.level': 'ERROR', ...properties },
  });
}
