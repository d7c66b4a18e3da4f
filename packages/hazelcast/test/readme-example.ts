/**
 * The README / docs example, kept here so typecheck proves it compiles against the real client types.
 * Never run by the tests (it needs a cluster).
 */
import { createSessionRepository } from '@sess/core';
import { Client, JsonStringDeserializationPolicy, ReconnectMode } from 'hazelcast-client';
import { HazelcastStore } from '../src/index.js';

export async function readmeExample(): Promise<void> {
  const client = await Client.newHazelcastClient({
    network: { clusterMembers: ['10.0.0.1:5701', '10.0.0.2:5701'] },
    serialization: { jsonStringDeserializationPolicy: JsonStringDeserializationPolicy.NO_DESERIALIZATION },
    connectionStrategy: { reconnectMode: ReconnectMode.ASYNC },
  });
  const repository = createSessionRepository({
    store: new HazelcastStore({ client, mapName: 'sessions', operationTimeoutMs: 2000 }),
  });
  await repository.close();
  await client.shutdown();
}
