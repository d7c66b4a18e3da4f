import { isSessionError, type SessionWrite } from '@sess/core';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { databaseReachable, skipUnreachable, useTestDatabase } from './database.js';
import { createWrite } from './session-writes.js';

/** An update write of `id` (a delta), as core hands it to the store. */
function updateWrite(
  id: string,
  delta: { set?: Record<string, string>; removed?: string[]; principal?: string | null; now?: number } = {},
): SessionWrite {
  const now = delta.now ?? Date.now();
  return {
    id,
    kind: 'update',
    now,
    createdAt: now,
    lastAccessedAt: now,
    maxInactiveMs: 60_000,
    absoluteExpiresAt: null,
    expiresAt: now + 60_000,
    ...(delta.principal !== undefined ? { principal: delta.principal } : {}),
    set: new Map(Object.entries(delta.set ?? {})),
    removed: delta.removed ?? [],
  } as SessionWrite;
}

/** Counts the statements a pool runs (every store statement goes through pool.query). */
function countQueries(pool: pg.Pool): { readonly texts: string[]; stop(): void } {
  const texts: string[] = [];
  const original = pool.query;
  pool.query = ((config: string | pg.QueryConfig, ...rest: unknown[]) => {
    texts.push(typeof config === 'string' ? config : config.text);
    return (original as (...args: unknown[]) => unknown).call(pool, config, ...rest);
  }) as typeof pool.query;
  return {
    texts,
    stop: () => {
      pool.query = original;
    },
  };
}

if (await databaseReachable()) {
  const db = useTestDatabase({ max: 6 });
  const stores: PostgresStore[] = [];
  const newStore = async (pool: pg.Pool = db.pool, table = db.table('b'), coalesceStatements = true) => {
    const store = new PostgresStore({
      pool,
      schema: db.schema,
      table,
      cleanupIntervalMs: 0,
      events: false,
      coalesceStatements,
    });
    stores.push(store);
    await store.migrate();
    return store;
  };
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  describe('loads and updates coalesced under concurrency', () => {
    it('concurrent loads share statements and each gets its own session (missing, repeated, undecodable)', async () => {
      const store = await newStore();
      for (let i = 0; i < 40; i++) await store.save(createWrite(`s${i}`, { set: { n: String(i) } }));
      await store.save(createWrite('bad', { set: { a: '1' } }));
      await db.pool.query(
        `UPDATE "${store.schema}"."${store.table}" SET attributes = '{"a": {"nested": 1}}' WHERE id = 'bad'`,
      );
      const counter = countQueries(db.pool);
      const ids = [...Array.from({ length: 40 }, (_, i) => `s${i}`), 'missing', 's3', 's3', 'missing'];
      const [loaded, bad] = await Promise.all([
        Promise.all(ids.map((id) => store.load(id))),
        store.load('bad').then(
          () => 'loaded',
          (error: unknown) => (isSessionError(error) ? error.code : String(error)),
        ),
      ]);
      counter.stop();
      expect(bad).toBe('DECODE'); // only its own caller fails
      expect(loaded.map((r) => r?.attributes.get('n') ?? null)).toEqual([
        ...Array.from({ length: 40 }, (_, i) => String(i)),
        null,
        '3',
        '3',
        null,
      ]);
      expect(loaded[41]).not.toBe(loaded[42]); // separate records for separate callers
      expect(loaded[41]!.attributes).not.toBe(loaded[42]!.attributes);
      expect(counter.texts.length).toBeLessThan(ids.length / 2);
    });

    it('concurrent updates of many sessions share statements, each applying exactly its own delta', async () => {
      const store = await newStore();
      const n = 60;
      for (let i = 0; i < n; i++) {
        await store.save(
          createWrite(`u${i}`, { set: { keep: 'k', drop: 'd' }, principal: i % 2 ? 'p' : null }),
        );
      }
      const counter = countQueries(db.pool);
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => {
          const kind = i % 4;
          if (kind === 0) return store.save(updateWrite(`u${i}`, { set: { v: String(i) } }));
          if (kind === 1) return store.save(updateWrite(`u${i}`, { removed: ['drop'] }));
          if (kind === 2)
            return store.save(
              updateWrite(`u${i}`, { principal: `user${i}`, set: { v: String(i) }, removed: ['drop'] }),
            );
          return store.save(updateWrite(`u${i}`, { principal: null }));
        }),
      );
      counter.stop();
      expect(results).toEqual(Array.from({ length: n }, () => true));
      expect(counter.texts.length).toBeLessThan(n / 2);
      for (let i = 0; i < n; i++) {
        const record = (await store.load(`u${i}`))!;
        const attributes = Object.fromEntries(record.attributes);
        const kind = i % 4;
        const originalPrincipal = i % 2 ? 'p' : null;
        if (kind === 0)
          expect([attributes, record.principal]).toEqual([
            { keep: 'k', drop: 'd', v: String(i) },
            originalPrincipal,
          ]);
        if (kind === 1) expect([attributes, record.principal]).toEqual([{ keep: 'k' }, originalPrincipal]);
        if (kind === 2)
          expect([attributes, record.principal]).toEqual([{ keep: 'k', v: String(i) }, `user${i}`]);
        if (kind === 3) expect([attributes, record.principal]).toEqual([{ keep: 'k', drop: 'd' }, null]);
      }
    });

    it('coalesceStatements: false sends every load and update as its own statement', async () => {
      const store = await newStore(db.pool, db.table('b'), false);
      const n = 30;
      for (let i = 0; i < n; i++) await store.save(createWrite(`o${i}`, { set: { n: String(i) } }));
      const counter = countQueries(db.pool);
      const ids = Array.from({ length: n }, (_, i) => `o${i}`);
      const loaded = await Promise.all(ids.map((id) => store.load(id)));
      const saved = await Promise.all(
        ids.map((id, i) => store.save(updateWrite(id, { set: { v: String(i) } }))),
      );
      counter.stop();
      expect(loaded.map((r) => r?.attributes.get('n'))).toEqual(ids.map((_, i) => String(i)));
      expect(saved).toEqual(ids.map(() => true));
      expect(counter.texts).toHaveLength(2 * n);
      expect(counter.texts.some((text) => /ANY\(|unnest/i.test(text))).toBe(false);
      expect((await store.load('o7'))?.attributes.get('v')).toBe('7');
    });

    it('a batched update reports false for exactly the sessions that are gone or expired', async () => {
      const store = await newStore();
      for (let i = 0; i < 30; i++)
        await store.save(createWrite(`e${i}`, { ttlMs: i % 3 === 0 ? 1 : 60_000 }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const results = await Promise.all([
        ...Array.from({ length: 30 }, (_, i) => store.save(updateWrite(`e${i}`, { set: { x: '1' } }))),
        store.save(updateWrite('never-created', { set: { x: '1' } })),
      ]);
      expect(results).toEqual([...Array.from({ length: 30 }, (_, i) => i % 3 !== 0), false]);
    });

    it('many concurrent deltas on one session all persist (never two of one session in a statement)', async () => {
      const store = await newStore();
      await store.save(createWrite('one'));
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.save(updateWrite('one', { set: { [`a${i}`]: String(i) } })),
        ),
      );
      const record = (await store.load('one'))!;
      expect(record.attributes.size).toBe(50);
    });

    it('two instances updating the same sessions in opposite orders at once never deadlock', async () => {
      const table = db.table('dl');
      const left = await newStore(db.extraPool({ max: 6 }), table);
      const right = await newStore(db.extraPool({ max: 6 }), table);
      const ids = Array.from({ length: 40 }, (_, i) => `d${i}`);
      for (const id of ids) await left.save(createWrite(id));
      const round = (store: PostgresStore, order: string[], r: number) =>
        Promise.all(order.map((id) => store.save(updateWrite(id, { set: { [`r${r}`]: id } }))));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, r) =>
          r % 2 ? round(left, ids, r) : round(right, [...ids].reverse(), r),
        ),
      );
      const failures = outcomes.filter((o) => o.status === 'rejected');
      expect(
        failures.map((f) => (isSessionError(f.reason) ? String(f.reason.cause) : String(f.reason))),
      ).toEqual([]);
      for (const id of ids) expect((await left.load(id))!.attributes.size).toBe(10);
    });
  });
} else {
  skipUnreachable();
}
