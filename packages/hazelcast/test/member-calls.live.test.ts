/**
 * Member calls per request on the live cluster, counted at the map: what a web request costs with
 * this store. The counts are exact (no timing involved), so they are pinned; docs/hazelcast.md and
 * docs/benchmarks.md explain them.
 */
import { createSessionRepository } from '@sess/core';
import type { Client, HazelcastJsonValue } from 'hazelcast-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazelcastStore, type SessionMap, type SessionMapSource } from '../src/index.js';
import { connect, liveCluster } from './members/live-cluster.js';

const { cluster, skip } = liveCluster();

describe.skipIf(cluster === null)(`member calls per request (${skip ?? 'shared cluster'})`, () => {
  let client: Client;
  const calls: string[] = [];
  const mapName = `sess-calls-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    if (cluster) client = await connect(cluster);
  });
  afterAll(async () => {
    await (await client?.getMap(mapName))?.destroy();
    await client?.shutdown();
  });

  const counting: SessionMapSource = {
    async getMap(name) {
      const map: SessionMap = await client.getMap<string, HazelcastJsonValue>(name);
      return new Proxy(map, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(String(property));
            return value.apply(target, args);
          };
        },
      });
    },
  };

  async function measure(request: () => Promise<unknown>): Promise<string[]> {
    calls.length = 0;
    await request();
    return [...calls];
  }

  it('read 1, update 3, login 6, logout 2 (and a first write 1)', async () => {
    const store = new HazelcastStore({ client: counting, mapName, addIndex: false });
    const repo = createSessionRepository({ store });
    await store.load('warm'.padEnd(43, 'x')); // the map proxy exists, as in a running server

    const session = repo.createSession().set('count', 1);
    expect(await measure(() => repo.save(session))).toEqual(['putIfAbsent']);

    // GET /get: load, nothing changed, no touch due.
    expect(await measure(async () => repo.findById(session.id))).toEqual(['get']);

    // GET /inc: load, one attribute changed. The save compares against the document the load read.
    const update = await measure(async () => {
      const s = (await repo.findById(session.id))!;
      s.set('count', (s.get('count') as number) + 1);
      await repo.save(s);
    });
    expect(update).toEqual(['get', 'replaceIfSame', 'setTtl']);

    // GET /login: load, new id (the rename: tombstone, new entry, tombstone removed), principal set.
    let current = session.id;
    const login = await measure(async () => {
      const s = (await repo.findById(current))!;
      s.changeId();
      s.principal = 'alice';
      await repo.save(s);
      current = s.id;
    });
    expect(login).toEqual(['get', 'replaceIfSame', 'putIfAbsent', 'remove', 'replaceIfSame', 'setTtl']);

    // GET /logout: load, destroy.
    const logout = await measure(async () => {
      await repo.findById(current);
      await repo.deleteById(current);
    });
    expect(logout).toEqual(['get', 'remove']);
  });
});
