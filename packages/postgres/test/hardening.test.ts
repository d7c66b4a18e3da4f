import {
  createSessionRepository,
  type DecodeErrorReport,
  isSessionError,
  type SessionWrite,
} from '@sess/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { DATABASE_URL, databaseReachable, skipUnreachable, useTestDatabase } from './database.js';
import { createWrite } from './session-writes.js';

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => value,
    (error: unknown) => (isSessionError(error) ? error.code : String(error)),
  );

function updateWrite(id: string, set: Record<string, string>, principal?: string | null): SessionWrite {
  const now = Date.now();
  return {
    id,
    kind: 'update',
    now,
    createdAt: now,
    lastAccessedAt: now,
    maxInactiveMs: 60_000,
    absoluteExpiresAt: null,
    expiresAt: now + 60_000,
    ...(principal !== undefined ? { principal } : {}),
    set: new Map(Object.entries(set)),
    removed: [],
  };
}

if (await databaseReachable()) {
  // A small pool: a third of it (one statement) per kind, so concurrent updates share statements.
  const db = useTestDatabase({ max: 3 });
  const stores: PostgresStore[] = [];
  const newStore = async (options: Partial<ConstructorParameters<typeof PostgresStore>[0]> = {}) => {
    const store = new PostgresStore({
      pool: db.pool,
      schema: db.schema,
      table: db.table('h'),
      cleanupIntervalMs: 0,
      events: false,
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

  describe("one session's bad data never fails another's write (coalesced statements)", () => {
    it('a principal PostgreSQL cannot hold is refused for that write alone, before the shared statement', async () => {
      const store = await newStore();
      const ids = Array.from({ length: 40 }, (_, i) => `bad-principal-${i}`);
      await Promise.all(ids.map((id) => store.save(createWrite(id))));
      const poison = new Set([3, 11, 19, 27]);
      const results = await Promise.all(
        ids.map((id, i) =>
          outcome(
            store.save(
              updateWrite(
                id,
                { k: `v${i}` },
                poison.has(i) ? (i % 2 ? '\u0000' : 'x'.repeat(3000)) : `u${i}`,
              ),
            ),
          ),
        ),
      );
      expect(results.filter((r, i) => !poison.has(i) && r !== true)).toEqual([]);
      expect(results.filter((_, i) => poison.has(i))).toEqual(Array(4).fill('INVALID_DATA'));
      const { rows } = await raw(store, `SELECT count(*)::int AS n FROM $table WHERE attributes ? 'k'`);
      expect(rows[0].n).toBe(36);
    });

    it('a shared statement the server refuses for one session is retried alone for each', async () => {
      const store = await newStore();
      // A rule of the database's own (a trigger) that refuses one session's update: any refusal the
      // store could not foresee behaves the same way.
      await raw(
        store,
        `CREATE FUNCTION "${store.schema}".refuse_${store.table}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.attributes ? 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`,
      );
      await raw(
        store,
        `CREATE TRIGGER refuse BEFORE UPDATE ON $table FOR EACH ROW EXECUTE FUNCTION "${store.schema}".refuse_${store.table}()`,
      );
      const ids = Array.from({ length: 40 }, (_, i) => `refused-${i}`);
      await Promise.all(ids.map((id) => store.save(createWrite(id))));
      const results = await Promise.all(
        ids.map((id, i) => outcome(store.save(updateWrite(id, i === 17 ? { poison: '1' } : { k: `v${i}` })))),
      );
      expect(results.filter((r, i) => i !== 17 && r !== true)).toEqual([]);
      expect(results[17]).toBe('STORE_UNAVAILABLE');
      const { rows } = await raw(store, `SELECT count(*)::int AS n FROM $table WHERE attributes ? 'k'`);
      expect(rows[0].n).toBe(39);
    });

    it('timestamps and timeouts the columns cannot hold are refused for that write alone', async () => {
      const store = await newStore();
      await store.save(createWrite('range-ok'));
      await store.save(createWrite('range-bad'));
      const huge = { ...updateWrite('range-bad', { k: 'x' }), maxInactiveMs: 1e30 };
      const results = await Promise.all([
        outcome(store.save(huge)),
        outcome(store.save(updateWrite('range-ok', { k: 'y' }))),
      ]);
      expect(results).toEqual(['INVALID_DATA', true]);
    });
  });

  describe('unreadable rows', () => {
    it("one unreadable row never breaks a user's session list: skipped, reported, removed", async () => {
      const store = await newStore();
      const reports: DecodeErrorReport[] = [];
      const repository = createSessionRepository({ store, onDecodeError: (r) => reports.push(r) });
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const session = repository.createSession().set('n', i);
        session.principal = 'carol';
        await repository.save(session);
        ids.push(session.id);
      }
      await raw(store, `UPDATE $table SET attributes = '{"a": 5}' WHERE id = $1`, [ids[0]]);
      await raw(store, `UPDATE $table SET expires_at = 'infinity' WHERE id = $1`, [ids[1]]);
      await raw(store, `UPDATE $table SET max_inactive_ms = 9223372036854775807 WHERE id = $1`, [ids[2]]);
      const found = await repository.findByPrincipal('carol');
      expect([...found.keys()]).toEqual([ids[3]]);
      expect(reports).toHaveLength(3);
      expect(reports.every((r) => r.removed)).toBe(true);
      const { rows } = await raw(store, 'SELECT id FROM $table WHERE principal = $1', ['carol']);
      expect(rows.map((r) => r.id)).toEqual([ids[3]]);
      expect([...(await repository.findByPrincipal('carol')).keys()]).toEqual([ids[3]]);
    });

    it('an out-of-range stored number makes the session missing (and removed), never a store error on every write', async () => {
      const store = await newStore();
      const reports: DecodeErrorReport[] = [];
      const repository = createSessionRepository({ store, onDecodeError: (r) => reports.push(r) });
      for (const [column, value] of [
        ['max_inactive_ms', '9223372036854775807'],
        ['expires_at', 'infinity'],
        ['last_accessed_at', '-infinity'],
        ['absolute_expires_at', '294276-01-01'],
      ] as const) {
        const session = repository.createSession().set('a', 1);
        await repository.save(session);
        await raw(store, `UPDATE $table SET ${column} = $2 WHERE id = $1`, [session.id, value]);
        expect(await repository.findById(session.id)).toBeNull();
        const { rowCount } = await raw(store, 'SELECT 1 FROM $table WHERE id = $1', [session.id]);
        expect(rowCount).toBe(0);
      }
      expect(reports).toHaveLength(4);
      const fresh = repository.createSession().set('b', 2);
      expect(await repository.save(fresh)).toBe(true);
    });
  });

  describe('writes racing a rotation', () => {
    it('30 concurrent writes racing a login rotation all reach the rotated session', async () => {
      const store = await newStore();
      const repository = createSessionRepository({ store });
      const session = repository.createSession().set('start', 1);
      await repository.save(session);
      const racing = await Promise.all(
        Array.from({ length: 30 }, () => repository.findById(session.id).then((s) => s!)),
      );
      const login = (await repository.findById(session.id))!;
      login.changeId();
      login.principal = 'dave';
      const outcomes = await Promise.all([
        repository.saveWithOutcome(login),
        ...racing.map((s, i) => {
          s.set(`k${i}`, i);
          return repository.saveWithOutcome(s);
        }),
      ]);
      expect(outcomes[0]).toBe('saved');
      expect(outcomes.slice(1).every((o) => o === 'saved' || o === 'forwarded')).toBe(true);
      const rotated = (await repository.findById(login.id))!;
      expect(rotated.principal).toBe('dave');
      expect(rotated.names().filter((n) => n.startsWith('k'))).toHaveLength(30);
      expect(await repository.findById(session.id)).toBeNull();
    });
  });

  describe('stalls fail fast', () => {
    it('a locked sessions table fails a request after operationTimeoutMs (default 2000 ms), not later', async () => {
      const store = await newStore({ pool: db.extraPool({ max: 6 }) });
      const repository = createSessionRepository({ store });
      const session = repository.createSession().set('a', 1);
      await repository.save(session);
      const locker = new pg.Client({ connectionString: DATABASE_URL });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE "${store.schema}"."${store.table}" IN ACCESS EXCLUSIVE MODE`);
        const started = Date.now();
        const result = await outcome(repository.findById(session.id));
        const elapsed = Date.now() - started;
        expect(result).toBe('STORE_UNAVAILABLE');
        // The deadline, not the old 5 s default: generous bounds, this checks behaviour, not speed.
        expect(elapsed).toBeGreaterThanOrEqual(1900);
        expect(elapsed).toBeLessThan(4500);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect((await repository.findById(session.id))?.get('a')).toBe(1);
    });
  });
} else {
  skipUnreachable();
}
