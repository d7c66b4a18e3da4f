import { createSessionRepository, type StoreEvent } from '@sess/core';
import { defineStoreConformance, waitFor } from '@sess/testkit';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import {
  hasRedisServerBinary,
  type SentinelSetup,
  startSentinelSetup,
  unavailable,
} from './redis-servers.js';

/** Loopback ports of the private master, replica and Sentinel this file starts and stops. */
const PORTS: [number, number, number] = [7121, 7122, 7123];
const available = hasRedisServerBinary() || unavailable('redis-server (to start a Sentinel setup)');

if (available) {
  let setup: SentinelSetup | undefined;
  const clients: Redis[] = [];
  /** A client that finds the master through the Sentinel, with the README's fail-fast options. */
  const viaSentinel = (options: RedisOptions = {}): Redis => {
    const client = new Redis({
      sentinels: [{ host: '127.0.0.1', port: PORTS[2] }],
      name: setup!.masterName,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      ...options,
    });
    client.on('error', () => undefined); // connection errors during the failover are expected
    clients.push(client);
    return client;
  };
  /** The port of the node a client is connected to (the master, for a Sentinel client). */
  const portOf = async (client: Redis) => Number(((await client.config('GET', 'port')) as string[])[1]);
  const ready = (client: Redis) =>
    client.status === 'ready' ? Promise.resolve() : new Promise((resolve) => client.once('ready', resolve));

  beforeAll(async () => {
    setup = await startSentinelSetup(PORTS);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await setup?.stop();
  });

  describe('redis through Sentinel', () => {
    let client: Redis;
    let suite = 0;
    beforeAll(async () => {
      client = viaSentinel();
      await ready(client);
    });

    defineStoreConformance({
      name: 'redis (Sentinel: master + replica)',
      createStore: async () => {
        const store = new RedisStore({ client, prefix: `sentinel:${++suite}:`, sweepIntervalMs: 250 });
        await store.ready();
        return store;
      },
    });
  });

  describe('redis through Sentinel: failover', () => {
    it('after a failover the store works on the new master: old sessions, new writes, events', async () => {
      const client = viaSentinel({
        // During the switch the client must find the new master; requests meanwhile fail fast.
        retryStrategy: () => 100,
        sentinelRetryStrategy: () => 100,
      });
      await ready(client);
      // The sweeper's commands fail while the master moves; those reports are expected here.
      const background: unknown[] = [];
      const store = new RedisStore({
        client,
        prefix: 'sentinel-failover:',
        operationTimeoutMs: 1000,
        onBackgroundError: (error) => background.push(error),
      });
      await store.ready();
      const repository = createSessionRepository({ store });
      const events: StoreEvent[] = [];
      const off = repository.on('created', (event) => events.push(event));

      const before = repository.createSession();
      before.set('written', 'before the failover');
      before.principal = 'ada';
      await repository.save(before);
      // Make sure the replica has it before it becomes the master.
      await client.call('WAIT', '1', '2000');
      const oldMasterPort = await portOf(client);

      const sentinel = new Redis({ host: '127.0.0.1', port: PORTS[2] });
      clients.push(sentinel);
      await sentinel.call('SENTINEL', 'FAILOVER', setup!.masterName);

      // The client reconnects to whichever node is master now.
      const switched = await waitFor(
        async () => {
          try {
            const port = await portOf(client);
            const role = (await client.role()) as unknown[];
            return port !== oldMasterPort && role[0] === 'master';
          } catch {
            return false;
          }
        },
        20_000,
        200,
      );
      expect(switched).toBe(true);

      // Writes may fail for a moment while the old master is being demoted; then they must work.
      const after = repository.createSession();
      after.set('written', 'after the failover');
      const saved = await waitFor(
        async () => {
          try {
            await repository.save(after);
            return true;
          } catch {
            return false;
          }
        },
        10_000,
        200,
      );
      expect(saved).toBe(true);
      expect((await repository.findById(before.id))?.get('written')).toBe('before the failover');
      expect((await repository.findById(after.id))?.get('written')).toBe('after the failover');
      expect([...(await repository.findByPrincipal('ada')).keys()]).toEqual([before.id]);
      // The event subscription followed the master too.
      expect(await waitFor(async () => events.some((e) => e.sessionId === after.id), 10_000, 100)).toBe(true);
      off();
      await repository.close();
    }, 60_000);
  });
} else {
  describe.skip('redis through Sentinel', () => {
    it('needs redis-server', () => undefined);
  });
}
