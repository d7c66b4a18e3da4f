/**
 * Pins the reconnect behaviour the store relies on, in the installed hazelcast-client itself (not the
 * double): its ListenerService re-sends every listener registration on each new member connection,
 * under the same user registration id. This drives the client's real ListenerService with stubbed
 * connections; these are client internals (lib/listener), so a client upgrade that changes them
 * fails here first.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { ListenerService } = require('hazelcast-client/lib/listener/ListenerService.js') as {
  ListenerService: new (
    logger: unknown,
    isSmart: boolean,
    connectionManager: unknown,
    invocationService: unknown,
  ) => {
    start(): void;
    registerListener(codec: unknown, handler: () => void): Promise<string>;
    deregisterListener(id: string): Promise<boolean>;
  };
};
const { CONNECTION_ADDED_EVENT_NAME, CONNECTION_REMOVED_EVENT_NAME } =
  require('hazelcast-client/lib/network/ConnectionManager.js') as {
    CONNECTION_ADDED_EVENT_NAME: string;
    CONNECTION_REMOVED_EVENT_NAME: string;
  };

describe('hazelcast-client ListenerService (installed version)', () => {
  it('re-registers a listener on every new connection, keeping its registration id', async () => {
    const memberA = { name: 'member A', isAlive: () => true };
    const memberB = { name: 'member B after reconnect', isAlive: () => true };
    const active: object[] = [memberA];
    const connectionManager = Object.assign(new EventEmitter(), {
      getConnectionRegistry: () => ({ getConnections: () => active }),
    });
    const registeredOn: unknown[] = [];
    const removedHandlers: number[] = [];
    let correlationId = 0;
    const invocationService = {
      invocationTimeoutMillis: 120_000,
      invokeUrgent: async (invocation: { connection: unknown }) => {
        registeredOn.push(invocation.connection);
        const id = ++correlationId;
        return { getCorrelationId: () => id };
      },
      invoke: async () => undefined,
      removeEventHandler: (id: number) => removedHandlers.push(id),
    };
    const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const localOnly: boolean[] = [];
    const codec = {
      encodeAddRequest: (flag: boolean) => {
        localOnly.push(flag);
        return {};
      },
      decodeAddResponse: () => 'server-side-id',
      encodeRemoveRequest: () => null,
    };

    const service = new ListenerService(silent, true, connectionManager, invocationService);
    service.start();
    const id = await service.registerListener(codec, () => undefined);
    expect(registeredOn).toEqual([memberA]);

    // The connection drops, the client reconnects (possibly to another member).
    active.splice(0, 1);
    connectionManager.emit(CONNECTION_REMOVED_EVENT_NAME, memberA);
    expect(removedHandlers).toEqual([1]);
    active.push(memberB);
    connectionManager.emit(CONNECTION_ADDED_EVENT_NAME, memberB);
    await new Promise((resolve) => setImmediate(resolve));

    expect(registeredOn).toEqual([memberA, memberB]);
    // Smart routing registers per member with localOnly = true: each member sends its own events.
    expect(localOnly).toEqual([true, true]);
    // The id the store keeps still names the registration: removing it works after the reconnect.
    expect(await service.deregisterListener(id)).toBe(true);
    expect(removedHandlers).toEqual([1, 2]);
  });
});
