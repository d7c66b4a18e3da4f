/** Unit tests of the test double itself: each property SEMANTICS.md claims is checked here. */
import { ClientOfflineError, type EntryEvent, HazelcastJsonValue, Predicates } from 'hazelcast-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionMapSource } from '../src/index.js';
import { type FakeClientOptions, FakeCluster } from './double/fake-hazelcast.js';

const json = (value: unknown) => new HazelcastJsonValue(JSON.stringify(value));
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

let cluster: FakeCluster;
let time = 1_000_000;
afterEach(() => cluster?.shutdown());

function setup(options: FakeClientOptions = {}) {
  time = 1_000_000;
  cluster = new FakeCluster({ now: () => time, expirationTaskPeriodMs: 60_000 });
  const client = cluster.newClient({ jsonStringDeserializationPolicy: 'NO_DESERIALIZATION', ...options });
  return { client, map: () => client.getMap<string, HazelcastJsonValue>('m') };
}

function recordEvents() {
  const seen: Array<{ type: string; key: string; value: unknown; oldValue: unknown }> = [];
  const on = (type: string) => (e: EntryEvent<string, HazelcastJsonValue>) =>
    seen.push({
      type,
      key: e.key,
      value: e.value?.toString() ?? null,
      oldValue: e.oldValue?.toString() ?? null,
    });
  return {
    seen,
    listener: {
      added: on('added'),
      updated: on('updated'),
      removed: on('removed'),
      expired: on('expired'),
      evicted: on('evicted'),
    },
  };
}

describe('FakeIMap double', () => {
  it('is accepted where the store expects a map source (typed against the real client)', () => {
    const { client } = setup();
    const source: SessionMapSource = client;
    expect(typeof source.getMap).toBe('function');
  });

  describe('TTL', () => {
    it('truncates a TTL to whole seconds from the write second, and expires lazily on access', async () => {
      const { map } = setup();
      const m = await map();
      const events = recordEvents();
      await m.addEntryListener(events.listener, undefined, true);
      time = Math.floor(time / 1000) * 1000 + 750; // written at x.750 s, as a member sees it
      await m.put('k', json({ a: 1 }), 1500);
      expect(cluster.peek('m', 'k')?.ttlMs).toBe(1000);
      time += 249;
      expect((await m.get('k'))?.toString()).toBe('{"a":1}');
      time += 1;
      expect(await m.get('k')).toBeNull();
      await settle();
      expect(events.seen.map((e) => e.type)).toEqual(['added', 'expired']);
      expect(events.seen[1]).toMatchObject({ value: null, oldValue: '{"a":1}' });
    });

    it('expires entries nobody reads through the expiration task', async () => {
      const { map } = setup();
      const m = await map();
      const events = recordEvents();
      await m.addEntryListener(events.listener, undefined, true);
      await m.putIfAbsent('k', json(1), 1000);
      time += 1000;
      expect(cluster.peek('m', 'k')).toBeDefined();
      cluster.runExpirationTask();
      expect(cluster.peek('m', 'k')).toBeUndefined();
      await settle();
      expect(events.seen.map((e) => e.type)).toEqual(['added', 'expired']);
    });

    it('TTL 0 is forever, a negative or missing TTL is the map default', async () => {
      const { map } = setup();
      const m = await map();
      await m.put('forever', json(1), 0);
      await m.put('default', json(1), -1);
      await m.put('none', json(1));
      time += 10 * 365 * 86_400_000;
      expect(await m.containsKey('forever')).toBe(true);
      expect(await m.containsKey('default')).toBe(true);
      expect(await m.containsKey('none')).toBe(true);
    });

    it('setTtl moves the expiry from now, and is false for a missing or expired entry', async () => {
      const { map } = setup();
      const m = await map();
      await m.put('k', json(1), 1000);
      time += 900; // 1_000_900: the new TTL counts from 1_000_000 (the write second)
      expect(await m.setTtl('k', 5000)).toBe(true);
      time += 4099;
      expect(await m.containsKey('k')).toBe(true);
      time += 1;
      expect(await m.containsKey('k')).toBe(false);
      expect(await m.setTtl('k', 5000)).toBe(false);
      expect(await m.setTtl('missing', 5000)).toBe(false);
    });

    it('replaceIfSame drops the TTL to the map default (none), as a member does', async () => {
      const { map } = setup();
      const m = await map();
      await m.put('k', json(1), 2000);
      time += 1500;
      expect(await m.replaceIfSame('k', json(1), json(2))).toBe(true);
      expect(cluster.peek('m', 'k')?.ttlMs).toBe(0);
      time += 60_000;
      expect(await m.containsKey('k')).toBe(true);
    });
  });

  describe('compare-and-set and conditional writes', () => {
    it('replaceIfSame replaces only when the serialized value is identical', async () => {
      const { map } = setup();
      const m = await map();
      expect(await m.replaceIfSame('k', json(1), json(2))).toBe(false);
      await m.put('k', new HazelcastJsonValue('{"a":1}'));
      expect(await m.replaceIfSame('k', new HazelcastJsonValue('{ "a": 1 }'), json(2))).toBe(false);
      expect(await m.replaceIfSame('k', new HazelcastJsonValue('{"a":1}'), json(2))).toBe(true);
      expect((await m.get('k')).toString()).toBe('2');
    });

    it('a plain object is serialized as its JSON text, so it matches the same HazelcastJsonValue', async () => {
      const { map } = setup();
      const m = await map();
      await m.put('k', json({ a: 1 }));
      expect(await m.replaceIfSame('k', { a: 1 } as unknown as HazelcastJsonValue, json({ a: 2 }))).toBe(
        true,
      );
    });

    it('putIfAbsent writes only when absent and returns the existing value', async () => {
      const { map } = setup();
      const m = await map();
      expect(await m.putIfAbsent('k', json(1), 1000)).toBeNull();
      expect((await m.putIfAbsent('k', json(2), 1000)).toString()).toBe('1');
      expect((await m.get('k')).toString()).toBe('1');
    });

    it('remove(key) returns the old value; remove(key, value) is conditional', async () => {
      const { map } = setup();
      const m = await map();
      expect(await m.remove('k')).toBeNull();
      await m.put('k', json(1));
      expect(await m.remove('k', json(2))).toBe(false);
      expect(await m.remove('k', json(1))).toBe(true);
      await m.put('k', json(3));
      expect(String(await m.remove('k'))).toBe('3');
      expect(await m.containsKey('k')).toBe(false);
    });

    it('asserts non-null arguments synchronously, like the client', async () => {
      const { map } = setup();
      const m = await map();
      expect(() => m.get(null as unknown as string)).toThrow('Non null value expected.');
    });
  });

  describe('predicates', () => {
    it('Predicates.equal and a simple Predicates.sql match a top-level JSON attribute exactly', async () => {
      const { map } = setup();
      const m = await map();
      await m.put('a', json({ principal: "o'neil", n: 1 }));
      await m.put('b', json({ principal: 'bob', n: 2 }));
      await m.put('c', new HazelcastJsonValue('{not json'));
      await m.put('d', 'plain string' as unknown as HazelcastJsonValue);
      const keys = async (p: Parameters<typeof m.entrySetWithPredicate>[0]) =>
        (await m.entrySetWithPredicate(p)).map(([k]) => k).sort();
      expect(await keys(Predicates.equal('principal', "o'neil"))).toEqual(['a']);
      expect(await keys(Predicates.sql("principal = 'o''neil'"))).toEqual(['a']);
      expect(await keys(Predicates.equal('n', 2))).toEqual(['b']);
      expect(await keys(Predicates.equal('principal', '%'))).toEqual([]);
    });

    it('refuses predicates it does not model instead of guessing', async () => {
      const { map } = setup();
      const m = await map();
      expect(() => m.entrySetWithPredicate(Predicates.like('principal', 'a%'))).toThrow(/does not model/);
    });

    it('skips expired entries in query results', async () => {
      const { map } = setup();
      const m = await map();
      await m.put('a', json({ principal: 'p' }), 1000);
      time += 1000;
      expect(await m.entrySetWithPredicate(Predicates.equal('principal', 'p'))).toEqual([]);
    });
  });

  describe('entry listeners', () => {
    it('reports added, updated, removed with value and oldValue as the members send them', async () => {
      const { map } = setup();
      const m = await map();
      const events = recordEvents();
      await m.addEntryListener(events.listener, undefined, true);
      await m.putIfAbsent('k', json(1));
      await m.replaceIfSame('k', json(1), json(2));
      await m.remove('k');
      await settle();
      expect(events.seen).toEqual([
        { type: 'added', key: 'k', value: '1', oldValue: null },
        { type: 'updated', key: 'k', value: '2', oldValue: '1' },
        { type: 'removed', key: 'k', value: null, oldValue: '2' },
      ]);
    });

    it('without includeValue, events carry no values; a key filter limits them to that key', async () => {
      const { map } = setup();
      const m = await map();
      const events = recordEvents();
      await m.addEntryListener(events.listener, 'only');
      await m.put('other', json(1));
      await m.put('only', json(1));
      await settle();
      expect(events.seen).toEqual([{ type: 'added', key: 'only', value: null, oldValue: null }]);
    });

    it('delivers events of other clients (cluster-wide) and stops after removeEntryListener', async () => {
      const { client } = setup();
      const other = cluster.newClient();
      const m = await client.getMap<string, HazelcastJsonValue>('m');
      const events = recordEvents();
      const id = await m.addEntryListener(events.listener, undefined, true);
      await (await other.getMap<string, HazelcastJsonValue>('m')).put('k', json(1));
      await settle();
      expect(events.seen).toHaveLength(1);
      expect(await m.removeEntryListener(id)).toBe(true);
      await (await other.getMap<string, HazelcastJsonValue>('m')).put('k2', json(1));
      await settle();
      expect(events.seen).toHaveLength(1);
    });

    it('loses events while disconnected and receives them again after reconnecting', async () => {
      const { client } = setup();
      const other = cluster.newClient();
      const m = await client.getMap<string, HazelcastJsonValue>('m');
      const writer = await other.getMap<string, HazelcastJsonValue>('m');
      const events = recordEvents();
      await m.addEntryListener(events.listener, undefined, true);
      client.failWith(() => new ClientOfflineError());
      await writer.put('during', json(1));
      await settle();
      client.recover();
      await writer.put('after', json(1));
      await settle();
      expect(events.seen.map((e) => e.key)).toEqual(['after']);
    });

    it('rethrows a handler error outside the call, as the client does from process.nextTick', async () => {
      const errors: unknown[] = [];
      const { map } = setup({
        jsonStringDeserializationPolicy: 'EAGER',
        onUncaughtEventError: (e) => errors.push(e),
      });
      const m = await map();
      await m.addEntryListener({ added: () => undefined }, undefined, true);
      await m.put('k', new HazelcastJsonValue('{broken'));
      await settle();
      expect(errors[0]).toBeInstanceOf(SyntaxError);
    });
  });

  describe('JSON deserialization policy', () => {
    it('EAGER returns parsed objects and rejects unparseable JSON; NO_DESERIALIZATION returns HazelcastJsonValue', async () => {
      const { client: lazy } = setup();
      const eager = cluster.newClient({ jsonStringDeserializationPolicy: 'EAGER' });
      const writer = await lazy.getMap<string, HazelcastJsonValue>('m');
      await writer.put('ok', json({ a: 1 }));
      await writer.put('bad', new HazelcastJsonValue('{bad'));
      const reader = await eager.getMap<string, unknown>('m');
      expect(await reader.get('ok')).toEqual({ a: 1 });
      await expect(reader.get('bad')).rejects.toBeInstanceOf(SyntaxError);
      expect(await writer.get('ok')).toBeInstanceOf(HazelcastJsonValue);
    });
  });

  describe('faults', () => {
    it('failWith rejects every call until recover()', async () => {
      const { client, map } = setup();
      const m = await map();
      client.failWith(() => new ClientOfflineError());
      await expect(m.get('k')).rejects.toBeInstanceOf(ClientOfflineError);
      await expect(client.getMap('m')).rejects.toBeInstanceOf(ClientOfflineError);
      client.recover();
      expect(await m.get('k')).toBeNull();
    });

    it('hang() holds calls, which then run when the cluster returns (as retried invocations do)', async () => {
      const { client, map } = setup();
      const m = await map();
      client.hang();
      let done = false;
      const put = m.put('k', json(1)).then(() => {
        done = true;
      });
      await settle();
      expect(done).toBe(false);
      expect(cluster.peek('m', 'k')).toBeUndefined();
      client.recover();
      await put;
      expect(cluster.peek('m', 'k')).toBeDefined();
    });

    it('addIndex records the index, or fails when told to (e.g. no permission)', async () => {
      const { client, map } = setup();
      const m = await map();
      await m.addIndex({ type: 'HASH', attributes: ['principal'] });
      expect(cluster.indexes('m')).toEqual([{ type: 'HASH', attributes: ['principal'] }]);
      client.rejectAddIndex(() => new Error('AccessControlException'));
      await expect(m.addIndex({ type: 'HASH', attributes: ['x'] })).rejects.toThrow('AccessControlException');
    });
  });
});
