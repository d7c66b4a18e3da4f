/**
 * What a live member does that the store depends on, and the review risks of issue #13, each settled
 * on the shared 2-member cluster (test/members): TTL resolution, compare-and-set after a TTL failure,
 * removal events on login, foreign formatting, near caches, and the real delay of 'expired' events.
 */
import { createSessionRepository, isSessionError, type StoreEvent } from '@sess/core';
import { waitFor } from '@sess/testkit';
import {
  type Client,
  HazelcastJsonValue,
  type IMap,
  JsonStringDeserializationPolicy,
} from 'hazelcast-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazelcastStore, type SessionMap, type SessionMapSource } from '../src/index.js';
import { connect, liveCluster } from './members/live-cluster.js';

const { cluster, skip } = liveCluster();
const run = Math.random().toString(36).slice(2, 8);
let maps = 0;

describe.skipIf(cluster === null)(`a live member (${skip ?? 'shared cluster'})`, () => {
  let client: Client;
  let peer: Client;
  const created: IMap<string, HazelcastJsonValue>[] = [];

  beforeAll(async () => {
    if (!cluster) return;
    [client, peer] = await Promise.all([connect(cluster), connect(cluster)]);
  });
  afterAll(async () => {
    await Promise.allSettled(created.map((map) => map.destroy()));
    await Promise.allSettled([client?.shutdown(), peer?.shutdown()]);
  });

  async function setup(source: SessionMapSource = client) {
    const mapName = `sess-member-${run}-${++maps}`;
    const map = await client.getMap<string, HazelcastJsonValue>(mapName);
    created.push(map);
    const errors: string[] = [];
    const store = new HazelcastStore({
      client: source,
      mapName,
      onBackgroundError: (error, where) => errors.push(`${where}: ${String(error)}`),
    });
    const repo = createSessionRepository({ store });
    return { mapName, map, store, repo, errors };
  }

  /** When the member will evict `id` (epoch ms), from its entry view. */
  async function evictionTime(map: IMap<string, HazelcastJsonValue>, id: string): Promise<number> {
    const view = await map.getEntryView(id);
    if (!view) throw new Error('no entry');
    return Number(view.expirationTime);
  }

  describe('TTL', () => {
    it('the member truncates TTLs to whole seconds and replaceIfSame drops the TTL (what the store works around)', async () => {
      const { map } = await setup();
      await map.put('a', new HazelcastJsonValue('{}'), 1500);
      expect(Number((await map.getEntryView('a'))!.ttl)).toBe(1000);
      await map.replaceIfSame('a', new HazelcastJsonValue('{}'), new HazelcastJsonValue('{"x":1}'));
      expect((await map.getEntryView('a'))!.ttl.toString()).toBe('9223372036854775807'); // none
    });

    it('never lets the member evict a session before its expiry: create, update, touch, rename', async () => {
      const { repo, map, store } = await setup();
      const check = async (id: string, expiresAt: number) => {
        const evicts = await evictionTime(map, id);
        expect(evicts).toBeGreaterThanOrEqual(expiresAt);
        expect(evicts - expiresAt).toBeLessThanOrEqual(2000);
      };
      for (const idleTimeoutMs of [1000, 1500, 2500, 30 * 60_000]) {
        const timed = createSessionRepository({ store, idleTimeoutMs });
        const session = timed.createSession().set('a', 1);
        await timed.save(session);
        await check(session.id, session.expiresAt);
        const loaded = (await timed.findById(session.id))!;
        loaded.set('a', 2);
        await timed.save(loaded);
        await check(session.id, loaded.expiresAt);
        await store.touch({
          id: session.id,
          now: Date.now(),
          lastAccessedAt: Date.now(),
          expiresAt: Date.now() + idleTimeoutMs,
        });
        const touched = (await repo.findById(session.id))!;
        await check(session.id, touched.expiresAt);
        const renamed = (await timed.findById(session.id))!;
        renamed.changeId();
        await timed.save(renamed);
        await check(renamed.id, renamed.expiresAt);
      }
    });

    it('a save whose compare-and-set succeeded but whose TTL update failed resolves true; the TTL is repaired', async () => {
      let failTtl = 1;
      const failing: SessionMapSource = {
        async getMap(name) {
          const map: SessionMap = await client.getMap<string, HazelcastJsonValue>(name);
          return new Proxy(map, {
            get(target, property, receiver) {
              if (property === 'setTtl' && failTtl > 0) {
                return async () => {
                  failTtl--;
                  throw new Error('connection lost before the TTL was set');
                };
              }
              return Reflect.get(target, property, receiver);
            },
          });
        },
      };
      const { repo, map, errors } = await setup(failing);
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      loaded.set('a', 2);
      await expect(repo.save(loaded)).resolves.toBe(true); // before the fix: STORE_UNAVAILABLE
      expect(errors.some((e) => e.startsWith('ttl: '))).toBe(true);
      // Meanwhile the entry has no TTL: it cannot be evicted early.
      expect((await map.getEntryView(session.id))!.ttl.toString()).toBe('9223372036854775807');
      // The background repair sets the TTL from the stored expiry (after operationTimeoutMs).
      expect(
        await waitFor(async () => (await evictionTime(map, session.id)) < Number.MAX_SAFE_INTEGER, 5000, 100),
      ).toBe(true);
      expect(await evictionTime(map, session.id)).toBeGreaterThanOrEqual(loaded.expiresAt);
      expect((await repo.findById(session.id))?.get('a')).toBe(2);
    });
  });

  it('a login (id change) seen from another process is one id-changed, never a deleted for the old id', async () => {
    const { repo, mapName } = await setup();
    const other = new HazelcastStore({ client: peer, mapName });
    const seen: StoreEvent[] = [];
    const off = other.subscribe((event) => seen.push(event));
    try {
      // A write through the peer waits for its listener's registration; once its own 'created'
      // arrives, every later write of the other process is heard.
      const otherRepo = createSessionRepository({ store: other });
      await otherRepo.save(otherRepo.createSession().set('probe', 1));
      expect(await waitFor(() => seen.length >= 1, 5000)).toBe(true);
      seen.length = 0;
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      const oldId = session.id;
      session.changeId();
      session.principal = 'alice';
      await repo.save(session);
      await repo.deleteById(session.id);
      expect(await waitFor(() => seen.length >= 3, 5000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500)); // anything late would show now
      // The member sends the old value with every removal the store makes (remove(key) and
      // remove(key, value)), so the tombstone's removal is recognised and not reported.
      expect(seen).toEqual([
        { type: 'created', sessionId: oldId, principal: null },
        { type: 'id-changed', sessionId: session.id, previousId: oldId, principal: null },
        { type: 'deleted', sessionId: session.id, principal: 'alice' },
      ]);
    } finally {
      off();
      await other.close();
    }
  });

  for (const policy of ['EAGER', 'NO_DESERIALIZATION'] as const) {
    it(`saves a session another writer stored with other formatting (${policy} JSON policy)`, async () => {
      const reader = await connect(cluster!, {
        serialization: { jsonStringDeserializationPolicy: JsonStringDeserializationPolicy[policy] },
      });
      try {
        const { mapName, map } = await setup();
        const store = new HazelcastStore({ client: reader, mapName, maxWriteAttempts: 8 });
        const repo = createSessionRepository({ store });
        const id = repo.idGenerator.generate();
        const now = Date.now();
        const foreign =
          `{ "$sess": 1, "ver": 4, "createdAt": ${now}, "lastAccessedAt": ${now}, "maxInactiveMs": 60000, ` +
          `"absoluteExpiresAt": null, "expiresAt": ${now + 60_000}, "principal": null, "attributes": { "a": "1" } }`;
        await map.put(id, new HazelcastJsonValue(foreign), 60_000);
        const loaded = (await repo.findById(id))!;
        loaded.set('b', 2);
        await repo.save(loaded); // before the fix (EAGER): gave up after 8 attempts, STORE_UNAVAILABLE
        const again = (await repo.findById(id))!;
        expect([again.get('a'), again.get('b')]).toEqual([1, 2]);
      } finally {
        await reader.shutdown();
      }
    });
  }

  it('refuses a client with a near cache for the session map (by name, pattern or default)', async () => {
    for (const nearCaches of [{ 'sess-sessions': {} }, { 'sess-*': {} }, { default: {} }]) {
      const cached = await connect(cluster!, { nearCaches });
      try {
        let error: unknown;
        try {
          new HazelcastStore({ client: cached });
        } catch (e) {
          error = e;
        }
        expect(isSessionError(error) && error.code).toBe('CONFIG');
        expect(String(error)).toMatch(/near cache/);
        // A map the name or pattern does not match is fine ("default" matches every map).
        const other = () => new HazelcastStore({ client: cached, mapName: 'other-map' });
        if ('default' in nearCaches) expect(other).toThrow(/near cache/);
        else expect(other).not.toThrow();
      } finally {
        await cached.shutdown();
      }
    }
  });

  it('measures how late expired events arrive (members run the expiration task every second here)', async () => {
    const { mapName, repo } = await setup();
    const listener = new HazelcastStore({ client: peer, mapName });
    const expiresAt = new Map<string, number>();
    const delays: number[] = [];
    const off = listener.subscribe((event) => {
      const due = expiresAt.get(event.sessionId);
      if (event.type === 'expired' && due !== undefined) delays.push(Date.now() - due);
    });
    try {
      await listener.load('probe'.padEnd(43, 'x'));
      const short = createSessionRepository({ store: repo.store, idleTimeoutMs: 1000 });
      for (let i = 0; i < 20; i++) {
        const session = short.createSession().set('i', i);
        await short.save(session);
        expiresAt.set(session.id, session.expiresAt);
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
      expect(await waitFor(() => delays.length === 20, 15_000, 100)).toBe(true);
      delays.sort((a, b) => a - b);
      const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
      console.info(
        `[@sess/hazelcast] expired event after expiry, 20 sessions: min ${delays[0]} ms, ` +
          `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${delays.at(-1)} ms`,
      );
      expect(delays[0]).toBeGreaterThanOrEqual(0); // never before the expiry
    } finally {
      off();
      await listener.close();
    }
  }, 30_000);
});
