import { Client, type ClientConfig, JsonStringDeserializationPolicy } from 'hazelcast-client';
import type { LiveClusterInfo } from './hazelcast-members.js';

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
