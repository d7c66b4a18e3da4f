import { createSessionRepository, isSessionError, type StoreEvent } from '@sess/core';
import { waitFor } from '@sess/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, PostgresStore, schemaSql } from '../src/index.js';
import { DATABASE_URL, databaseReachable, skipUnreachable, useTestDatabase } from './database.js';
import { createWrite } from './session-writes.js';
import { untilHeard } from './until-heard.js';

const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isSessionError(error) ? error.code : String(error)),
  );

if (await databaseReachable()) {
  const db = useTestDatabase();
  const stores: PostgresStore[] = [];
  const newStore = async (options: Partial<ConstructorParameters<typeof PostgresStore>[0]> = {}) => {
    const store = new PostgresStore({
      pool: db.pool,
      schema: db.schema,
      table: db.table('t'),
      cleanupIntervalMs: 0,
      ...options,
    });
    stores.push(store);
    await store.migrate();
    return store;
  };
  const raw = (store: PostgresStore, sql: string, values: unknown[] = []) =>
    db.pool.query(sql.replaceAll('$table', `"${store.schema}"."${store.table}"`), values);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  describe('migrate', () => {
    it('creates the table and indexes once; later and concurrent calls apply nothing', async () => {
      const table = db.table('m');
      const results = await Promise.all(
        Array.from({ length: 6 }, () => migrate({ pool: db.pool, schema: db.schema, table })),
      );
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      expect(results.every((r) => r.to === 1)).toBe(true);
      expect(await migrate({ pool: db.pool, schema: db.schema, table })).toEqual({
        from: 1,
        to: 1,
        applied: [],
      });
      const indexes = await db.pool.query(
        'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1',
        [db.schema, table],
      );
      expect(indexes.rows.map((r) => r.indexname)).toEqual([
        `${table}_expires_at_idx`,
        `${table}_pkey`,
        `${table}_principal_idx`,
      ]);
      expect(indexes.rows[2].indexdef).toContain('WHERE (principal IS NOT NULL)');
    });

    it('the hand-applied script (psql -f) is recorded, so migrate() continues from it', async () => {
      const table = db.table('manual');
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        const script = schemaSql({ schema: db.schema, table });
        await client.query(script); // simple protocol runs the whole script, as psql -f would
        await client.query(script); // and it is idempotent
      } finally {
        await client.end();
      }
      expect((await migrate({ pool: db.pool, schema: db.schema, table })).applied).toEqual([]);
    });

    it('creates a missing schema', async () => {
      const schema = `${db.schema}_extra`;
      try {
        const result = await migrate({ pool: db.pool, schema, table: 'sessions' });
        expect(result).toEqual({ from: 0, to: 1, applied: [1] });
      } finally {
        await db.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });

    it('a store on a table that was never migrated fails with a typed error that says what to do', async () => {
      const store = new PostgresStore({
        pool: db.pool,
        schema: db.schema,
        table: 'never_migrated',
        cleanupIntervalMs: 0,
      });
      stores.push(store);
      const error = await store.load('x'.repeat(43)).catch((e: unknown) => e);
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect((error as Error).message).toContain('migrate()');
      expect((error as Error).cause).toBeDefined();
    });
  });

  describe('storage', () => {
    it('keeps attributes as a jsonb object of name -> encoded string, hostile names included', async () => {
      const store = await newStore();
      const names = [
        '__proto__',
        '',
        'constructor',
        'nul\u0000byte',
        '\u0001starts-with-marker',
        'lone\ud800',
      ];
      const set = Object.fromEntries(names.map((n, i) => [n, JSON.stringify(i)]));
      // Object.fromEntries made "__proto__" an own key; check it really is.
      expect(Object.keys(set)).toContain('__proto__');
      await store.save(createWrite('hostile', { set }));
      const row = await raw(store, 'SELECT attributes FROM $table WHERE id = $1', ['hostile']);
      const stored = row.rows[0].attributes as Record<string, string>;
      // pg parses jsonb with JSON.parse, which defines "__proto__" as an own property.
      expect(Object.getOwnPropertyDescriptor(stored, '__proto__')?.value).toBe('0');
      expect(Object.getOwnPropertyDescriptor(stored, '')?.value).toBe('1');
      const loaded = (await store.load('hostile'))!;
      expect([...loaded.attributes.keys()].sort()).toEqual([...names].sort());
      for (const [i, name] of names.entries()) expect(loaded.attributes.get(name)).toBe(JSON.stringify(i));
      // Removing the escaped names works through the same escaping.
      const now = Date.now();
      await store.save({
        ...createWrite('hostile'),
        kind: 'update',
        now,
        removed: ['nul\u0000byte', '__proto__'],
      });
      const after = (await store.load('hostile'))!;
      expect(after.attributes.has('nul\u0000byte')).toBe(false);
      expect(after.attributes.has('__proto__')).toBe(false);
      expect(after.attributes.has('')).toBe(true);
    });

    it('round-trips values jsonb cannot hold as strings (from a custom codec)', async () => {
      const store = await newStore();
      const value = 'a\u0000b\ud800c';
      await store.save(createWrite('odd-value', { set: { v: value, plain: '"x"' } }));
      const loaded = (await store.load('odd-value'))!;
      expect(loaded.attributes.get('v')).toBe(value);
      expect(loaded.attributes.get('plain')).toBe('"x"');
    });

    it('50 parallel saves of different attributes on one session all persist', async () => {
      const store = await newStore();
      const repo = createSessionRepository({ store });
      const session = repo.createSession().set('base', true);
      await repo.save(session);
      const copies = await Promise.all(Array.from({ length: 50 }, () => repo.findById(session.id)));
      const results = await Promise.all(copies.map((copy, i) => repo.save(copy!.set(`k${i}`, i))));
      expect(results.every(Boolean)).toBe(true);
      const loaded = (await repo.findById(session.id))!;
      for (let i = 0; i < 50; i++) expect(loaded.get(`k${i}`)).toBe(i);
      expect(loaded.get('base')).toBe(true);
    });

    it('a touch moves only last access and expiry', async () => {
      const store = await newStore();
      await store.save(createWrite('touched', { set: { a: '1' }, principal: 'someone' }));
      const before = (await store.load('touched'))!;
      const later = before.lastAccessedAt + 5000;
      expect(
        await store.touch({ id: 'touched', now: later, lastAccessedAt: later, expiresAt: later + 60_000 }),
      ).toBe(true);
      const after = (await store.load('touched'))!;
      expect(after).toEqual({ ...before, lastAccessedAt: later, expiresAt: later + 60_000 });
    });

    it('keeps millisecond timestamps exact', async () => {
      const store = await newStore();
      const write = {
        ...createWrite('exact'),
        createdAt: 1_700_000_000_123,
        absoluteExpiresAt: 4_102_444_800_999,
      };
      await store.save(write);
      const loaded = (await store.load('exact'))!;
      expect(loaded.createdAt).toBe(1_700_000_000_123);
      expect(loaded.absoluteExpiresAt).toBe(4_102_444_800_999);
      expect(loaded.expiresAt).toBe(write.expiresAt);
    });

    it('renaming onto an existing id is a CONFLICT and changes nothing', async () => {
      const store = await newStore();
      await store.save(createWrite('first', { set: { a: '1' } }));
      await store.save(createWrite('second', { set: { b: '2' } }));
      expect(await errorCode(store.changeId('first', 'second', Date.now()))).toBe('CONFLICT');
      expect((await store.load('first'))?.attributes.get('a')).toBe('1');
      expect((await store.load('second'))?.attributes.get('b')).toBe('2');
    });

    it('unreadable rows are decode errors, not crashes', async () => {
      const store = await newStore();
      await store.save(createWrite('bad', { set: { a: '1' } }));
      await raw(store, `UPDATE $table SET attributes = '{"a": {"nested": 1}}' WHERE id = $1`, ['bad']);
      expect(await errorCode(store.load('bad'))).toBe('DECODE');
    });

    it('works without prepared statements', async () => {
      const store = await newStore({ preparedStatements: false, events: false });
      const repo = createSessionRepository({ store });
      const session = repo.createSession().set('a', 1);
      session.principal = 'unprepared';
      await repo.save(session);
      expect((await repo.findByPrincipal('unprepared')).size).toBe(1);
      await repo.deleteById(session.id);
      expect(await repo.findById(session.id)).toBeNull();
    });
  });

  describe('events across instances', () => {
    it("another instance's events arrive once, with the principal; own events are not echoed", async () => {
      const first = await newStore();
      const otherPool = db.extraPool({ max: 2 });
      const second = new PostgresStore({
        pool: otherPool,
        schema: db.schema,
        table: first.table,
        cleanupIntervalMs: 0,
      });
      stores.push(second);
      const heardBySecond: StoreEvent[] = [];
      const heardByFirst: StoreEvent[] = [];
      const offSecond = second.subscribe!((e) => heardBySecond.push(e));
      const offFirst = first.subscribe!((e) => heardByFirst.push(e));
      // Listening starts asynchronously: wait until a probe event crosses over.
      expect(
        await untilHeard(
          () => first.save(createWrite(`probe-${Math.random()}`)),
          () => heardBySecond.length > 0,
        ),
      ).toBe(true);
      heardBySecond.length = 0;
      heardByFirst.length = 0;
      const long = '€'.repeat(512); // the longest principal core allows: too large for the payload budget
      await first.save(createWrite('evented', { set: { a: '1' }, principal: 'alice' }));
      await first.save(createWrite('long-principal', { principal: long }));
      await first.changeId('evented', 'evented-2', Date.now());
      await first.delete('evented-2');
      const expected = [
        { type: 'created', sessionId: 'evented', principal: 'alice' },
        { type: 'created', sessionId: 'long-principal' },
        { type: 'id-changed', sessionId: 'evented-2', previousId: 'evented', principal: 'alice' },
        { type: 'deleted', sessionId: 'evented-2', principal: 'alice' },
      ];
      expect(await waitFor(() => heardBySecond.length >= 4, 3000)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(heardBySecond).toEqual(expected);
      // The creator heard its own events directly, exactly once, the long principal included.
      expect(heardByFirst.map((e) => e.type)).toEqual(['created', 'created', 'id-changed', 'deleted']);
      expect(heardByFirst[1]).toEqual({ type: 'created', sessionId: 'long-principal', principal: long });
      offFirst();
      offSecond();
    });

    it('ignores foreign payloads on the channel', async () => {
      const store = await newStore();
      const heard: StoreEvent[] = [];
      const off = store.subscribe!((e) => heard.push(e));
      const other = await newStore({ table: store.table });
      expect(
        await untilHeard(
          () => other.save(createWrite(`probe-${Math.random()}`)),
          () => heard.length > 0,
        ),
      ).toBe(true);
      heard.length = 0;
      for (const payload of ['not json', '{}', '{"o":"x","e":[[1,2],["created"],["bogus","id",null]]}', '[]'])
        await db.pool.query('SELECT pg_notify($1, $2)', [`${db.schema}.${store.table}`, payload]);
      await other.save(createWrite('after-junk'));
      expect(await waitFor(() => heard.length > 0, 3000)).toBe(true);
      expect(heard).toEqual([{ type: 'created', sessionId: 'after-junk', principal: null }]);
      off();
    });
  });

  describe('connections', () => {
    it('returns every client to the pool, on success and on every kind of failure', async () => {
      const pool = db.extraPool({ max: 4 });
      const store = new PostgresStore({
        pool,
        schema: db.schema,
        table: db.table('c'),
        cleanupIntervalMs: 0,
        operationTimeoutMs: 300,
      });
      stores.push(store);
      await store.migrate();
      await store.save(createWrite('held', { set: { a: '1' } }));
      const work = async () => {
        await store.save(createWrite(`ok-${Math.random()}`, { set: { a: '1' } }));
        await errorCode(store.save(createWrite('held'))); // conflict
        await store.load('held');
        await store.findByPrincipal('nobody');
        await store.cleanupExpired(Date.now());
      };
      await Promise.all(Array.from({ length: 20 }, work));
      expect(pool.waitingCount).toBe(0);
      expect(pool.idleCount).toBe(pool.totalCount);

      // A statement stuck behind a row lock: the deadline fires, the stuck client is discarded.
      const locker = new pg.Client({ connectionString: DATABASE_URL });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`SELECT 1 FROM "${db.schema}"."${store.table}" WHERE id = 'held' FOR UPDATE`);
        const started = Date.now();
        const touch = store.touch({
          id: 'held',
          now: Date.now(),
          lastAccessedAt: Date.now(),
          expiresAt: Date.now() + 1,
        });
        expect(await errorCode(touch)).toBe('STORE_UNAVAILABLE');
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect(await waitFor(() => pool.idleCount === pool.totalCount && pool.waitingCount === 0, 3000)).toBe(
        true,
      );
      expect((await store.load('held'))?.attributes.get('a')).toBe('1');
    });

    it('an unreachable database is a fast STORE_UNAVAILABLE with the cause attached', async () => {
      const dead = db.extraPool({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
      const store = new PostgresStore({ pool: dead, cleanupIntervalMs: 0, events: false });
      stores.push(store);
      const started = Date.now();
      const error = await store.load('x').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/unreachable/);
      expect(await errorCode(store.migrate())).toBe('STORE_UNAVAILABLE');
      expect(dead.totalCount).toBe(0);
    });
  });
} else {
  skipUnreachable();
}
