import { createSessionRepository, isSessionError, type SessionWrite, type StoreEvent } from '@sess/core';
import { waitFor } from '@sess/testkit';
import { ClientOfflineError, HazelcastJsonValue, TargetDisconnectedError } from 'hazelcast-client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HazelcastStore,
  type HazelcastStoreOptions,
  type SessionMap,
  type SessionMapSource,
} from '../src/index.js';
import { type FakeClient, FakeCluster } from './double/fake-hazelcast.js';

const cluster = new FakeCluster({ expirationTaskPeriodMs: 50 });
afterAll(() => cluster.shutdown());

let maps = 0;
function setup(options: Partial<HazelcastStoreOptions> = {}, client: FakeClient = cluster.newClient()) {
  const mapName = `store-test-${++maps}`;
  const warnings: string[] = [];
  const store = new HazelcastStore({
    client,
    mapName,
    onBackgroundError: (error, source) =>
      warnings.push(`${source}: ${error instanceof Error ? error.message : String(error)}`),
    ...options,
  });
  const repo = createSessionRepository({ store, onDecodeError: () => undefined });
  const raw = () => client.getMap<string, HazelcastJsonValue>(mapName);
  return { client, mapName, store, repo, raw, warnings };
}

function creation(id: string, now = Date.now()): SessionWrite {
  return {
    id,
    kind: 'create',
    now,
    createdAt: now,
    lastAccessedAt: now,
    maxInactiveMs: 60_000,
    absoluteExpiresAt: null,
    expiresAt: now + 60_000,
    principal: 'p',
    set: new Map([['a', '1']]),
    removed: [],
  };
}

/** The JSON document a member holds for `id`. */
function storedJson(mapName: string, id: string) {
  const value = cluster.peek(mapName, id)?.value;
  if (value?.kind !== 'json') throw new Error(`no JSON entry for ${id}`);
  return JSON.parse(value.text);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

describe('HazelcastStore', () => {
  describe('storage format and TTL', () => {
    it('stores one JSON document per session with a top-level principal and a version', async () => {
      const { repo, mapName } = setup();
      const session = repo.createSession().set('__proto__', { x: 1 }).set('n', 1);
      session.principal = 'alice';
      await repo.save(session);
      const stored = storedJson(mapName, session.id);
      expect(stored).toMatchObject({ $sess: 1, ver: 0, principal: 'alice', maxInactiveMs: 30 * 60_000 });
      expect(Object.hasOwn(stored.attributes, '__proto__')).toBe(true);
      const loaded = (await repo.findById(session.id))!;
      loaded.set('n', 2);
      await repo.save(loaded);
      const again = storedJson(mapName, session.id);
      expect(again.ver).toBe(1);
    });

    it('hands Hazelcast a per-entry TTL from the expiry, and moves it on touch', async () => {
      const { repo, mapName } = setup();
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      const created = cluster.peek(mapName, session.id)!;
      // Whole seconds, plus one: members truncate TTLs and the write time to seconds.
      expect(created.ttlMs).toBe(30 * 60_000 + 1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const loaded = (await repo.findById(session.id))!;
      loaded.maxInactiveMs = 5_500;
      await repo.save(loaded);
      expect(cluster.peek(mapName, session.id)!.ttlMs).toBe(7_000); // 5.5 s rounded up, plus one
    });
  });

  describe('delta saves (optimistic compare-and-set)', () => {
    it('50 concurrent saves of different attributes on one session all persist', async () => {
      const { repo } = setup();
      const session = repo.createSession();
      await repo.save(session);
      const copies = await Promise.all(Array.from({ length: 50 }, () => repo.findById(session.id)));
      const results = await Promise.all(copies.map((copy, i) => repo.save(copy!.set(`k${i}`, i))));
      expect(results.every(Boolean)).toBe(true);
      const loaded = (await repo.findById(session.id))!;
      for (let i = 0; i < 50; i++) expect(loaded.get(`k${i}`)).toBe(i);
    });

    it('50 concurrent saves from 5 processes (separate clients and stores) all persist', async () => {
      const mapName = `store-test-${++maps}`;
      const repos = Array.from({ length: 5 }, () =>
        createSessionRepository({ store: new HazelcastStore({ client: cluster.newClient(), mapName }) }),
      );
      const session = repos[0]!.createSession();
      await repos[0]!.save(session);
      const copies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => repos[i % 5]!.findById(session.id).then((s) => ({ s: s!, i }))),
      );
      await Promise.all(copies.map(({ s, i }) => repos[i % 5]!.save(s.set(`k${i}`, i))));
      const loaded = (await repos[3]!.findById(session.id))!;
      for (let i = 0; i < 50; i++) expect(loaded.get(`k${i}`)).toBe(i);
    });

    it('gives up after maxWriteAttempts with a STORE_UNAVAILABLE error when it never wins', async () => {
      const client = cluster.newClient();
      // A map on which every compare-and-set loses, as under endless contention.
      const losing: SessionMapSource = {
        async getMap(name) {
          const map: SessionMap = await client.getMap<string, HazelcastJsonValue>(name);
          return {
            get: (key) => map.get(key),
            put: (key, value, ttl) => map.put(key, value, ttl),
            putIfAbsent: (key, value, ttl) => map.putIfAbsent(key, value, ttl),
            replaceIfSame: async () => false,
            remove: (key, value) => map.remove(key, value),
            setTtl: (key, ttl) => map.setTtl(key, ttl),
            entrySetWithPredicate: (predicate) => map.entrySetWithPredicate(predicate),
            addIndex: (config) => map.addIndex(config),
            addEntryListener: (listener, key, includeValue) =>
              map.addEntryListener(listener, key, includeValue),
            removeEntryListener: (id) => map.removeEntryListener(id),
          };
        },
      };
      const { repo } = setup({ client: losing, maxWriteAttempts: 4 });
      const session = repo.createSession();
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      const error = await errorOf(repo.save(loaded.set('x', 1)));
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect((error as Error).message).toMatch(/4 compare-and-set attempts/);
    });
  });

  describe('id change', () => {
    it('a rename onto an existing id throws CONFLICT and leaves the old session intact', async () => {
      const { repo, store } = setup();
      const a = repo.createSession().set('v', 'a');
      const b = repo.createSession().set('v', 'b');
      await repo.save(a);
      await repo.save(b);
      const error = await errorOf(store.changeId(a.id, b.id, Date.now()));
      expect(isSessionError(error) && error.code).toBe('CONFLICT');
      expect((await repo.findById(a.id))?.get('v')).toBe('a');
      expect((await repo.findById(b.id))?.get('v')).toBe('b');
    });

    it('the old id reads as absent while its tombstone exists, and a late update to it is refused', async () => {
      const { repo, store, raw } = setup();
      const session = repo.createSession().set('v', 1);
      await repo.save(session);
      const map = await raw();
      await map.replaceIfSame(
        session.id,
        (await map.get(session.id)) as HazelcastJsonValue,
        new HazelcastJsonValue('{"$sess":"moved","to":"elsewhere"}'),
      );
      expect(await store.load(session.id)).toBeNull();
      expect(await store.save({ ...creation(session.id), kind: 'update' })).toBe(false);
      expect(await store.delete(session.id)).toBe(false);
    });
  });

  describe('unreadable entries', () => {
    for (const policy of ['EAGER', 'NO_DESERIALIZATION'] as const) {
      it(`reports not-JSON, wrong-shape and foreign values as DECODE errors (${policy})`, async () => {
        const client = cluster.newClient({ jsonStringDeserializationPolicy: policy });
        const { store, raw, repo } = setup({}, client);
        const map = await raw();
        const values: Record<string, unknown> = {
          notJson: new HazelcastJsonValue('{"$sess":1,'),
          wrongShape: new HazelcastJsonValue('{"hello":"world"}'),
          badAttributes: new HazelcastJsonValue(
            '{"$sess":1,"ver":0,"createdAt":1,"lastAccessedAt":1,"maxInactiveMs":1,"absoluteExpiresAt":null,"expiresAt":2,"principal":null,"attributes":{"a":1}}',
          ),
          primitive: 'just a string',
        };
        for (const [name, value] of Object.entries(values)) {
          const key = repo.idGenerator.generate();
          await map.put(key, value as HazelcastJsonValue);
          const error = await errorOf(store.load(key));
          expect(isSessionError(error) && error.code, name).toBe('DECODE');
          expect(await repo.findById(key)).toBeNull();
          expect(await map.containsKey(key)).toBe(false); // core removed it through store.delete
        }
      });
    }

    it('find-by-principal skips an unreadable document instead of failing', async () => {
      const { store, raw, repo, warnings } = setup();
      const session = repo.createSession();
      session.principal = 'carol';
      await repo.save(session);
      await (await raw()).put('odd', new HazelcastJsonValue('{"principal":"carol"}'));
      expect((await store.findByPrincipal('carol')).map((r) => r.id)).toEqual([session.id]);
      expect(warnings.some((w) => w.startsWith('find-by-principal: ') && w.includes('not a session'))).toBe(
        true,
      );
    });
  });

  describe('principal index', () => {
    it('adds a HASH index on principal when the map is first used', async () => {
      const { store, mapName } = setup();
      await store.load('x'.repeat(43));
      await waitFor(() => cluster.indexes(mapName).length > 0, 1000);
      expect(cluster.indexes(mapName)).toEqual([
        { name: `${mapName}-principal`, type: 'HASH', attributes: ['principal'] },
      ]);
    });

    it('tolerates a refused index (no permission): a warning, and queries still work', async () => {
      const client = cluster.newClient();
      client.rejectAddIndex(() => new Error('AccessControlException: no permission to add index'));
      const { repo, warnings, mapName } = setup({}, client);
      const session = repo.createSession();
      session.principal = 'dave';
      await repo.save(session);
      expect([...(await repo.findByPrincipal('dave')).keys()]).toEqual([session.id]);
      await waitFor(() => warnings.length > 0, 1000);
      expect(warnings[0]).toMatch(/principal index/);
      expect(cluster.indexes(mapName)).toEqual([]);
    });

    it('adds no index when told not to', async () => {
      const { store, mapName } = setup({ addIndex: false });
      await store.load('x'.repeat(43));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(cluster.indexes(mapName)).toEqual([]);
    });
  });

  describe('faults', () => {
    it('an unreachable cluster (calls hang) fails with STORE_UNAVAILABLE within operationTimeoutMs', async () => {
      const { client, repo, store } = setup({ operationTimeoutMs: 150 });
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      client.hang();
      const started = Date.now();
      const error = await errorOf(repo.findById(session.id));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect((error as Error).cause).toBeInstanceOf(Error);
      const save = await errorOf(store.save(creation('y'.repeat(43))));
      expect(isSessionError(save) && save.code).toBe('STORE_UNAVAILABLE');
      client.recover();
      expect((await repo.findById(session.id))?.get('a')).toBe(1);
    });

    it('client errors (offline, disconnected) become STORE_UNAVAILABLE with the cause attached', async () => {
      const { client, repo, store } = setup();
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      client.failWith(() => new ClientOfflineError());
      const error = await errorOf(repo.findById(session.id));
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect((error as Error).cause).toBeInstanceOf(ClientOfflineError);
      client.failWith(() => new TargetDisconnectedError('member left'));
      expect(await errorOf(store.delete(session.id))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(await errorOf(store.findByPrincipal('x'))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      client.recover();
      expect((await repo.findById(session.id))?.get('a')).toBe(1);
    });

    it('a store created while the cluster is down starts working when it returns', async () => {
      const client = cluster.newClient();
      client.failWith(() => new ClientOfflineError());
      const { repo } = setup({ operationTimeoutMs: 150 }, client);
      const session = repo.createSession().set('a', 1);
      expect(await errorOf(repo.save(session))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      client.recover();
      await repo.save(session);
      expect((await repo.findById(session.id))?.get('a')).toBe(1);
    });
  });

  describe('events', () => {
    function collect(store: HazelcastStore) {
      const seen: StoreEvent[] = [];
      const off = store.subscribe((event) => seen.push(event));
      return { seen, off };
    }

    it('delivers created, id-changed, deleted and expired from another process, with principals', async () => {
      const watcher = setup();
      const writer = new HazelcastStore({ client: cluster.newClient(), mapName: watcher.mapName });
      const repo = createSessionRepository({ store: writer });
      const events = collect(watcher.store);
      try {
        await watcher.store.load('z'.repeat(43)); // any call: the listener is registered first
        const session = repo.createSession().set('a', 1);
        session.principal = 'erin';
        await repo.save(session);
        const oldId = session.id;
        session.changeId();
        await repo.save(session);
        await repo.deleteById(session.id);
        const short = createSessionRepository({ store: writer, idleTimeoutMs: 300 }).createSession();
        short.principal = 'frank';
        await createSessionRepository({ store: writer, idleTimeoutMs: 300 }).save(short);
        expect(await waitFor(() => events.seen.some((e) => e.type === 'expired'), 3000)).toBe(true);
        expect(events.seen).toEqual([
          { type: 'created', sessionId: oldId, principal: 'erin' },
          { type: 'id-changed', sessionId: session.id, previousId: oldId, principal: 'erin' },
          { type: 'deleted', sessionId: session.id, principal: 'erin' },
          { type: 'created', sessionId: short.id, principal: 'frank' },
          { type: 'expired', sessionId: short.id, principal: 'frank' },
        ]);
      } finally {
        events.off();
      }
    });

    it('retries the listener registration during an outage, and events flow once the cluster is back', async () => {
      const client = cluster.newClient();
      const { store, repo, warnings } = setup({ operationTimeoutMs: 100 }, client);
      client.failWith(() => new ClientOfflineError());
      const events = collect(store);
      try {
        await waitFor(() => warnings.length > 0, 1000);
        expect(warnings[0]).toMatch(/entry listener/);
        client.recover();
        await waitFor(() => cluster.listenerCount(store.mapName) === 1, 3000);
        const session = repo.createSession();
        await repo.save(session);
        expect(await waitFor(() => events.seen.length === 1, 1000)).toBe(true);
      } finally {
        events.off();
      }
    });

    it('keeps its registration across a disconnect (the client re-registers it); gap events are lost', async () => {
      const { client, store } = setup();
      const writer = new HazelcastStore({ client: cluster.newClient(), mapName: store.mapName });
      const repo = createSessionRepository({ store: writer });
      const events = collect(store);
      try {
        await store.load('z'.repeat(43));
        client.failWith(() => new ClientOfflineError());
        const during = repo.createSession();
        await repo.save(during);
        await new Promise((resolve) => setTimeout(resolve, 20));
        client.recover();
        const after = repo.createSession();
        await repo.save(after);
        expect(await waitFor(() => events.seen.length > 0, 1000)).toBe(true);
        expect(events.seen.map((e) => e.sessionId)).toEqual([after.id]);
      } finally {
        events.off();
      }
    });

    it('close() removes its listener and leaves the client alone', async () => {
      const { client, store, repo } = setup();
      const events = collect(store);
      await store.load('z'.repeat(43));
      expect(cluster.listenerCount(store.mapName)).toBe(1);
      await store.close();
      expect(cluster.listenerCount(store.mapName)).toBe(0);
      await repo.save(repo.createSession());
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events.seen).toEqual([]);
      expect(client.connected).toBe(true);
      expect(await (await client.getMap('other')).get('k')).toBeNull();
    });
  });

  it('offers event gaps only on a real client (the double has no connections to watch)', () => {
    const { store } = setup();
    expect(store.subscribeGaps).toBeUndefined();
  });

  it('rejects bad options with a CONFIG error', () => {
    const client = cluster.newClient();
    expect(() => new HazelcastStore({} as HazelcastStoreOptions)).toThrow(/client/);
    expect(() => new HazelcastStore({ client, operationTimeoutMs: 0 })).toThrow(/operationTimeoutMs/);
    expect(() => new HazelcastStore({ client, mapName: '' })).toThrow(/mapName/);
    expect(() => new HazelcastStore({ client, maxWriteAttempts: 1.5 })).toThrow(/maxWriteAttempts/);
    expect(() => new HazelcastStore({ client, addIndex: 'yes' as unknown as boolean })).toThrow(/addIndex/);
  });
});
