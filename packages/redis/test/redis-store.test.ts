import {
  createSessionRepository,
  isSessionError,
  type SessionWrite,
  type StoreEvent,
  storeCapabilities,
} from '@sess/core';
import { createManualClock, waitFor } from '@sess/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore, redisStore } from '../src/index.js';
import { deleteKeys, REDIS_URL, reachable, unavailable } from './redis-servers.js';

const run = `sess-unit:${process.pid}-${Date.now().toString(36)}:`;
const available = (await reachable(REDIS_URL)) || unavailable(`Redis at ${REDIS_URL} (set REDIS_URL)`);
const describeRedis = available ? describe : describe.skip;

describeRedis('RedisStore on standalone Redis', () => {
  const client = new Redis(REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  const raw = new Redis(REDIS_URL, { lazyConnect: true });
  let n = 0;
  const stores: RedisStore[] = [];
  const newStore = (options: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}) => {
    const store = new RedisStore({ client, prefix: `${run}${++n}:`, sweepIntervalMs: 100, ...options });
    stores.push(store);
    return store;
  };
  /** A write; `principal: undefined` means "principal unchanged" (the key is then left out). */
  const write = (
    id: string,
    overrides: Omit<Partial<SessionWrite>, 'principal'> & { principal?: string | null | undefined } = {},
  ): SessionWrite => {
    const now = Date.now();
    const { principal, ...rest } = overrides;
    const built: SessionWrite = {
      id,
      kind: 'create',
      now,
      createdAt: now,
      lastAccessedAt: now,
      maxInactiveMs: 60_000,
      absoluteExpiresAt: null,
      expiresAt: now + 60_000,
      principal: null,
      set: new Map(),
      removed: [],
      ...rest,
    };
    if ('principal' in overrides && principal === undefined) {
      const { principal: _unchanged, ...withoutPrincipal } = built;
      return withoutPrincipal;
    }
    return principal === undefined ? built : { ...built, principal };
  };
  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    if (raw.status === 'ready') await deleteKeys(raw, `${run}*`);
    client.disconnect();
    raw.disconnect();
  });

  it('connects', async () => {
    await Promise.all([client.connect(), raw.connect()]);
  });

  it('stores one hash per session: m:* metadata, a:<name> attributes, a TTL, a schedule entry', async () => {
    const store = newStore();
    await store.save(write('s1', { principal: 'ann', set: new Map([['x', '1']]) }));
    const key = store.layout.session('s1');
    const hash = await raw.hgetall(key);
    expect(Object.keys(hash).sort()).toEqual(
      [
        'a:x',
        'm:absolute',
        'm:accessed',
        'm:created',
        'm:expires',
        'm:idle',
        'm:ixuntil',
        'm:principal',
      ].sort(),
    );
    const ttl = await raw.pttl(key);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const bucket = store.layout.bucketOf('s1');
    expect(await raw.zscore(store.layout.expiries(bucket), 's1')).not.toBeNull();
    expect(await raw.hget(store.layout.owners(bucket), 's1')).toBe('ann');
    expect(await raw.smembers(store.layout.principalIndex('ann'))).toEqual(['s1']);
    expect(await raw.pttl(store.layout.principalIndex('ann'))).toBeGreaterThan(60_000);
    expect(await raw.type(store.layout.sweepLock(bucket))).toMatch(/string|none/);
  });

  it('an update writes only what changed: a field written meanwhile by someone else survives', async () => {
    const store = newStore();
    await store.save(
      write('s2', {
        set: new Map([
          ['a', '1'],
          ['b', '1'],
        ]),
      }),
    );
    const key = store.layout.session('s2');
    await raw.hset(key, 'a:b', '"written elsewhere"');
    const now = Date.now();
    const applied = await store.save(
      write('s2', {
        kind: 'update',
        now,
        set: new Map([['a', '2']]),
        removed: ['gone'],
        principal: undefined,
      }),
    );
    expect(applied).toBe(true);
    expect(await raw.hget(key, 'a:a')).toBe('2');
    expect(await raw.hget(key, 'a:b')).toBe('"written elsewhere"');
  });

  it('a touch moves only the last-access time and the expiry', async () => {
    const store = newStore();
    const first = write('s3', { set: new Map([['a', '1']]) });
    await store.save(first);
    const key = store.layout.session('s3');
    const before = await raw.hgetall(key);
    const now = first.now + 1000;
    expect(await store.touch({ id: 's3', now, lastAccessedAt: now, expiresAt: now + 120_000 })).toBe(true);
    const after = await raw.hgetall(key);
    expect(after['m:accessed']).toBe(String(now));
    expect(after['m:expires']).toBe(String(now + 120_000));
    expect({ ...after, 'm:accessed': '', 'm:expires': '' }).toEqual({
      ...before,
      'm:accessed': '',
      'm:expires': '',
    });
    expect(await raw.pttl(key)).toBeGreaterThan(110_000);
  });

  it('unreadable hashes are decode errors: missing or invalid metadata, foreign fields, wrong type', async () => {
    const store = newStore();
    for (const [id, corrupt] of [
      ['c1', () => raw.hdel(store.layout.session('c1'), 'm:created')],
      ['c2', () => raw.hset(store.layout.session('c2'), 'm:idle', 'soon')],
      ['c3', () => raw.hset(store.layout.session('c3'), 'foreign', 'x')],
      ['c4', () => raw.set(store.layout.session('c4'), 'x')],
      ['c5', () => raw.hset(store.layout.session('c5'), 'm:idle', '0')],
    ] as const) {
      await store.save(write(id));
      await corrupt();
      const error = await errorOf(store.load(id));
      expect(isSessionError(error) && error.code, id).toBe('DECODE');
      expect(await store.delete(id)).toBe(true);
      expect(await store.load(id)).toBeNull();
    }
  });

  it('find by principal repairs stale entries and the index follows principal changes', async () => {
    const store = newStore();
    const index = store.layout.principalIndex('bob');
    await store.save(write('p1', { principal: 'bob' }));
    await store.save(write('p2', { principal: 'bob' }));
    await raw.sadd(index, 'ghost');
    await raw.del(store.layout.session('p2')); // vanished without the store's knowledge
    expect((await store.findByPrincipal('bob')).map((r) => r.id)).toEqual(['p1']);
    expect(await raw.smembers(index)).toEqual(['p1']);
    await store.save(write('p1', { kind: 'update', principal: 'carol' }));
    expect(await raw.smembers(index)).toEqual([]);
    expect(await raw.smembers(store.layout.principalIndex('carol'))).toEqual(['p1']);
    await store.save(write('p1', { kind: 'update', principal: null }));
    expect(await raw.exists(store.layout.principalIndex('carol'))).toBe(0);
    expect(await raw.hexists(store.layout.owners(store.layout.bucketOf('p1')), 'p1')).toBe(0);
  });

  it('the index outlives its sessions: touches extend it when the session would outlive it', async () => {
    const store = newStore();
    const index = store.layout.principalIndex('dora');
    const first = write('i1', { principal: 'dora', expiresAt: Date.now() + 1000 });
    await store.save(first);
    expect(await raw.pttl(index)).toBeLessThanOrEqual(2000);
    const now = Date.now();
    await store.touch({ id: 'i1', now, lastAccessedAt: now, expiresAt: now + 600_000 });
    expect(await raw.pttl(index)).toBeGreaterThan(600_000);
    await raw.del(index); // lost (e.g. evicted): the next refresh re-adds the entry
    await raw.hset(store.layout.session('i1'), 'm:ixuntil', '0');
    await store.touch({ id: 'i1', now, lastAccessedAt: now, expiresAt: now + 600_000 });
    expect(await raw.smembers(index)).toEqual(['i1']);
  });

  it('expiry removes the schedule, owner and index entries, without keyspace notifications', async () => {
    const store = newStore();
    await store.save(write('e1', { principal: 'eve', expiresAt: Date.now() + 200 }));
    const bucket = store.layout.bucketOf('e1');
    expect(
      await waitFor(async () => (await raw.zscore(store.layout.expiries(bucket), 'e1')) === null, 3000, 50),
    ).toBe(true);
    expect(await raw.hexists(store.layout.owners(bucket), 'e1')).toBe(0);
    expect(await raw.sismember(store.layout.principalIndex('eve'), 'e1')).toBe(0);
  });

  it('updates never move the schedule later; a due entry of a live session is moved, not reported', async () => {
    const store = newStore();
    const events: StoreEvent[] = [];
    const off = store.subscribe((event) => events.push(event));
    await store.ready();
    const bucket = store.layout.bucketOf('x1');
    const scheduled = () => raw.zscore(store.layout.expiries(bucket), 'x1').then(Number);
    const t0 = Date.now();
    await store.save(write('x1', { now: t0, maxInactiveMs: 400, expiresAt: t0 + 400 }));
    const first = await scheduled();
    // Used again and again: the session lives on, its schedule entry stays where the create put it.
    const t1 = Date.now();
    const extended = { kind: 'update' as const, principal: undefined, maxInactiveMs: 1200 };
    await store.save(write('x1', { ...extended, now: t1, lastAccessedAt: t1, expiresAt: t1 + 1200 }));
    await store.touch({ id: 'x1', now: t1, lastAccessedAt: t1, expiresAt: t1 + 1200 });
    expect(await scheduled()).toBe(first);
    // A shortened timeout does move it earlier.
    await store.touch({ id: 'x1', now: t1, lastAccessedAt: t1, expiresAt: t1 + 300 });
    expect(await scheduled()).toBeLessThan(first);
    await store.touch({ id: 'x1', now: t1, lastAccessedAt: t1, expiresAt: t1 + 1200 });
    // The entry comes due while the session lives: the sweep moves it to the real expiry, reports nothing.
    expect(await waitFor(async () => (await scheduled()) > first, 2000, 25)).toBe(true);
    expect(await raw.exists(store.layout.session('x1'))).toBe(1);
    const expired = () => events.filter((e) => e.sessionId === 'x1' && e.type === 'expired');
    expect(expired()).toEqual([]);
    // And the real expiry is still reported, once.
    expect(await waitFor(async () => expired().length > 0, 3000, 25)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(expired()).toHaveLength(1);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(1200 - 50);
    off();
  });

  it('a schedule entry lost (deleted by hand) is put back by the next touch; a key made persistent gets its TTL back from the next write', async () => {
    const store = newStore();
    const bucket = store.layout.bucketOf('h1');
    const t0 = Date.now();
    await store.save(write('h1', { now: t0 }));
    await raw.zrem(store.layout.expiries(bucket), 'h1');
    await store.touch({ id: 'h1', now: t0, lastAccessedAt: t0, expiresAt: t0 + 60_000 });
    expect(await raw.zscore(store.layout.expiries(bucket), 'h1')).not.toBeNull();
    await raw.persist(store.layout.session('h1'));
    await raw.zrem(store.layout.expiries(bucket), 'h1');
    // The common update (lean script) restores the TTL but does not look at the schedule (that would
    // cost every update a sorted-set lookup); the next touch puts the entry back.
    await store.save(
      write('h1', { kind: 'update', now: t0, principal: undefined, set: new Map([['a', '1']]) }),
    );
    expect(await raw.pttl(store.layout.session('h1'))).toBeGreaterThan(0);
    await store.touch({ id: 'h1', now: t0, lastAccessedAt: t0, expiresAt: t0 + 60_000 });
    expect(await raw.zscore(store.layout.expiries(bucket), 'h1')).not.toBeNull();
  });

  it('a rename in progress hides the old id from loads, updates and touches', async () => {
    const store = newStore();
    await store.save(write('m1', { set: new Map([['a', '1']]) }));
    await raw.hset(store.layout.session('m1'), 'm:moving', 'elsewhere');
    const now = Date.now();
    expect(await store.load('m1')).toBeNull();
    expect(await store.save(write('m1', { kind: 'update', now, principal: undefined }))).toBe(false);
    expect(await store.touch({ id: 'm1', now, lastAccessedAt: now, expiresAt: now + 1000 })).toBe(false);
    expect(await store.changeId('m1', 'm2', now)).toBe(false);
  });

  it('changeId onto an existing id fails with CONFLICT and leaves the old session intact', async () => {
    const store = newStore();
    await store.save(write('r1', { principal: 'fay', set: new Map([['a', '1']]) }));
    await store.save(write('r2', { set: new Map([['b', '2']]) }));
    const error = await errorOf(store.changeId('r1', 'r2', Date.now()));
    expect(isSessionError(error) && error.code).toBe('CONFLICT');
    expect((await store.load('r1'))?.attributes.get('a')).toBe('1');
    expect((await store.load('r2'))?.attributes.get('b')).toBe('2');
    const bucket = store.layout.bucketOf('r1');
    expect(await raw.zscore(store.layout.expiries(bucket), 'r1')).not.toBeNull();
    expect(await raw.hget(store.layout.owners(bucket), 'r1')).toBe('fay');
    expect(await store.save(write('r1', { kind: 'update', principal: undefined }))).toBe(true);
  });

  it('changeId racing late updates: every update on the old id after the rename resolves false', async () => {
    const store = newStore();
    for (let round = 0; round < 20; round++) {
      const oldId = `race-${round}`;
      const newId = `race-${round}-new`;
      await store.save(write(oldId, { principal: 'gus', set: new Map([['base', '0']]) }));
      const updates = Array.from({ length: 5 }, (_, i) =>
        store.save(write(oldId, { kind: 'update', principal: undefined, set: new Map([[`late${i}`, '1']]) })),
      );
      const renamed = store.changeId(oldId, newId, Date.now());
      const results = await Promise.all(updates);
      expect(await renamed).toBe(true);
      expect(await store.save(write(oldId, { kind: 'update', principal: undefined }))).toBe(false);
      expect(await raw.exists(store.layout.session(oldId))).toBe(0);
      const moved = (await store.load(newId))!;
      // An update either landed before the rename (and was carried over) or resolved false.
      results.forEach((applied, i) => {
        expect(moved.attributes.has(`late${i}`)).toBe(applied);
      });
      expect(moved.attributes.get('base')).toBe('0');
    }
    expect((await store.findByPrincipal('gus')).map((r) => r.id).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `race-${i}-new`).sort(),
    );
  });

  it('two store instances: each expiry is reported once cluster-wide and heard once by every instance', async () => {
    const prefix = `${run}shared:`;
    const a = newStore({ prefix });
    const b = newStore({ prefix });
    await Promise.all([a.ready(), b.ready()]);
    const heard = { a: [] as StoreEvent[], b: [] as StoreEvent[] };
    const offA = a.subscribe((event) => heard.a.push(event));
    const offB = b.subscribe((event) => heard.b.push(event));
    const ids = Array.from({ length: 30 }, (_, i) => `shared-${i}`);
    for (const id of ids) await a.save(write(id, { expiresAt: Date.now() + 300 + (id.length % 3) * 100 }));
    const expired = (events: StoreEvent[], id: string) =>
      events.filter((e) => e.type === 'expired' && e.sessionId === id).length;
    const all = () => ids.every((id) => expired(heard.a, id) > 0 && expired(heard.b, id) > 0);
    expect(await waitFor(all, 5000, 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // time for duplicates to show up, if any
    for (const id of ids) {
      expect(expired(heard.a, id)).toBe(1);
      expect(expired(heard.b, id)).toBe(1);
    }
    expect(heard.a.filter((e) => e.type === 'created')).toHaveLength(ids.length);
    expect(heard.b.filter((e) => e.type === 'created')).toHaveLength(ids.length);
    offA();
    offB();
  });

  it('through a repository: events carry the principal; expiry needs nobody to read the session', async () => {
    const store = newStore();
    await store.ready();
    const repo = createSessionRepository({ store, idleTimeoutMs: 300 });
    const seen: string[] = [];
    // Typed as StoreEvent: core's SessionEventOf<'expired'> currently resolves to never.
    const off = repo.on('expired', (e: StoreEvent) => seen.push(`${e.sessionId}:${e.principal}`));
    const session = repo.createSession().set('a', 1);
    session.principal = 'hal';
    await repo.save(session);
    expect(await waitFor(() => seen.length > 0, 3000, 50)).toBe(true);
    expect(seen).toEqual([`${session.id}:hal`]);
    off();
  });

  it('batchWrites: commands sent in one event-loop iteration leave in one socket write', async () => {
    // A client of its own, so that no other store's background work joins the batch.
    const own = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    await new Promise((resolve) => own.once('ready', resolve));
    const options = { client: own, events: false, sweeper: false } as const;
    const store = new RedisStore({ ...options, prefix: `${run}${++n}:` });
    const sibling = new RedisStore({ ...options, prefix: `${run}${++n}:` });
    const unbatched = new RedisStore({ ...options, prefix: `${run}${++n}:`, batchWrites: false });
    await store.save(write('bw1', { set: new Map([['x', '1']]) }));
    await store.save(write('bw2', { set: new Map([['x', '2']]) }));
    const stream = own.stream;
    const writes: number[] = [];
    const writev = stream._writev!.bind(stream);
    const writeOne = stream._write.bind(stream);
    stream._write = (chunk, encoding, callback) => {
      writes.push(1);
      writeOne(chunk, encoding, callback);
    };
    stream._writev = (chunks, callback) => {
      writes.push(chunks.length);
      writev(chunks, callback);
    };
    try {
      const loads = Promise.all([
        store.load('bw1'),
        store.load('bw2'),
        sibling.load('bw-missing'), // another store on the same client joins the same batch
      ]);
      expect(stream.writableCorked).toBe(1); // held until the end of this iteration, once
      const [one, two, missing] = await loads;
      expect([one?.attributes.get('x'), two?.attributes.get('x'), missing]).toEqual(['1', '2', null]);
      expect(writes).toEqual([3]);
      expect(stream.writableCorked).toBe(0);

      writes.length = 0;
      await Promise.all([unbatched.load('bw1'), unbatched.load('bw2')]);
      expect(writes).toEqual([1, 1]);
    } finally {
      stream._write = writeOne;
      stream._writev = writev;
      await Promise.all([store.close(), sibling.close(), unbatched.close()]);
      own.disconnect();
    }
  });

  it('batchWrites leaves a client with enableAutoPipelining alone', async () => {
    const piped = new Redis(REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 0 });
    try {
      await new Promise((resolve) => piped.once('ready', resolve));
      const store = new RedisStore({ client: piped, prefix: `${run}${++n}:`, events: false, sweeper: false });
      const load = store.load('nothing');
      expect(piped.stream.writableCorked).toBe(0);
      expect(await load).toBeNull();
      await store.close();
    } finally {
      piped.disconnect();
    }
  });

  it('never closes the user client; close() is idempotent; options are validated', async () => {
    const store = newStore();
    await store.close();
    await store.close();
    expect(client.status).toBe('ready');
    expect(() => redisStore({ client, buckets: 0 })).toThrow(/buckets/);
    expect(() => redisStore({ client, operationTimeoutMs: -1 })).toThrow(/operationTimeoutMs/);
    expect(() => redisStore({ client: {} as never })).toThrow(/client/);
    const quiet = redisStore({ client, events: false, sweeper: false });
    expect(storeCapabilities(quiet).events).toBe(false);
    expect(quiet.subscribe).toBeUndefined();
    createSessionRepository({ store: quiet, clock: createManualClock() }); // a usable store without events
    await quiet.close();
    const configError = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return isSessionError(error) && error.code;
      }
      return 'no error';
    };
    expect(configError(() => redisStore({ client, prefix: 'app:{x}:' }))).toBe('CONFIG');
    expect(configError(() => redisStore({ client, commandTimeoutMs: 10 } as never))).toBe('CONFIG');
    expect(configError(() => redisStore({ client, onBackgroundError: 1 as never }))).toBe('CONFIG');
    expect(configError(() => redisStore({ client, clock: {} as never }))).toBe('CONFIG');
  });

  it('nested prefixes ("app:" and "app:p:") never share a key', async () => {
    const outer = newStore({ prefix: `${run}nest:app:`, sweeper: false });
    const inner = newStore({ prefix: `${run}nest:app:p:`, sweeper: false });
    await inner.save(write('n1', { set: new Map([['a', '1']]) }));
    // A principal that, with the old layout (<prefix>p:<principal>), named inner's session key.
    const principal = `{b${inner.layout.bucketOf('n1')}}:s:n1`;
    expect(await outer.save(write('o1', { principal }))).toBe(true);
    expect((await inner.load('n1'))?.attributes.get('a')).toBe('1');
    expect((await outer.findByPrincipal(principal)).map((r) => r.id)).toEqual(['o1']);
    // And the other way round: inner's principal index is not one of outer's keys.
    expect(await inner.save(write('n2', { principal: 'x' }))).toBe(true);
    for (const key of [
      inner.layout.principalIndex('x'),
      inner.layout.session('n2'),
      inner.layout.sweepLease,
    ]) {
      expect(outer.layout.bucketOfSessionKey(key)).toBeNull();
      expect(key.slice(0, key.indexOf('{'))).toBe(inner.layout.prefix);
    }
  });

  it('a principal index of the wrong type is replaced, reported, and writes for that user go on', async () => {
    const reports: [unknown, string][] = [];
    const store = newStore({ onBackgroundError: (error, source) => reports.push([error, source]) });
    const index = store.layout.principalIndex('gus');
    await raw.set(index, 'not a set');
    expect(await store.save(write('w1', { principal: 'gus' }))).toBe(true);
    expect(await raw.smembers(index)).toEqual(['w1']);
    expect(reports.map(([, source]) => source)).toEqual(['repair']);
    await raw.del(index);
    await raw.hset(index, 'x', '1');
    expect((await store.findByPrincipal('gus')).map((r) => r.id)).toEqual([]);
    expect(await raw.type(index)).toBe('none');
    expect(await store.save(write('w2', { principal: 'gus' }))).toBe(true);
    expect((await store.findByPrincipal('gus')).map((r) => r.id)).toEqual(['w2']);
    await raw.set(index, 'again');
    expect(await store.delete('w2')).toBe(true); // unindexes: repaired on the way
    expect(reports.filter(([, source]) => source === 'repair')).toHaveLength(3);
    expect(isSessionError(reports[0]![0]) && (reports[0]![0] as { code: string }).code).toBe('DECODE');
  });

  it('an expiry schedule or owner map of the wrong type is replaced, reported, and serving goes on', async () => {
    const reports: [unknown, string][] = [];
    const store = newStore({ onBackgroundError: (error, source) => reports.push([error, source]) });
    const bucket = store.layout.bucketOf('k1');
    await raw.set(store.layout.expiries(bucket), 'not a zset');
    await raw.set(store.layout.owners(bucket), 'not a hash');
    expect(await store.save(write('k1', { principal: 'hal' }))).toBe(true); // create: both repaired
    expect(await raw.type(store.layout.expiries(bucket))).toBe('zset');
    expect(await raw.hget(store.layout.owners(bucket), 'k1')).toBe('hal');
    await raw.del(store.layout.expiries(bucket));
    await raw.set(store.layout.expiries(bucket), 'x');
    const now = Date.now();
    // A shortened timeout makes the lean update look at the schedule.
    expect(
      await store.save(write('k1', { kind: 'update', now, principal: undefined, expiresAt: now + 1000 })),
    ).toBe(true);
    expect(await raw.zscore(store.layout.expiries(bucket), 'k1')).not.toBeNull();
    await raw.del(store.layout.expiries(bucket));
    await raw.set(store.layout.expiries(bucket), 'x');
    expect(await store.touch({ id: 'k1', now, lastAccessedAt: now, expiresAt: now + 60_000 })).toBe(true);
    await raw.set(store.layout.expiries(bucket), 'x');
    expect(await store.sweepExpired()).toBe(0); // the sweeper repairs too
    await raw.set(store.layout.owners(bucket), 'x');
    expect(await store.changeId('k1', 'k2', now)).toBe(true);
    expect((await store.load('k2'))?.principal).toBe('hal');
    expect(reports.map(([, source]) => source)).toEqual(Array(reports.length).fill('repair'));
    expect(reports.length).toBeGreaterThanOrEqual(6);
  });
});

if (!available) {
  describe.skip('RedisStore', () => {
    it(`needs Redis at ${REDIS_URL}`, () => undefined);
  });
}
