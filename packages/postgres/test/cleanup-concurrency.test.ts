import type { StoreEvent } from '@sess/core';
import { waitFor } from '@sess/testkit';
import { afterAll, expect, it } from 'vitest';
import { migrate, PostgresStore } from '../src/index.js';
import { databaseReachable, skipUnreachable, useTestDatabase } from './database.js';
import { createWrite } from './session-writes.js';
import { untilHeard } from './until-heard.js';

if (await databaseReachable()) {
  const db = useTestDatabase();
  const stores: PostgresStore[] = [];
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it('two instances on two pools sweep at once under traffic: no deadlock, each expiry reported once', {
    timeout: 60_000,
  }, async () => {
    const table = db.table('sweep');
    const backgroundErrors: unknown[] = [];
    const instance = (name: string) => {
      const store = new PostgresStore({
        pool: db.extraPool({ max: 6, application_name: `sess-sweep-${name}` }),
        schema: db.schema,
        table,
        cleanupIntervalMs: 25,
        cleanupBatchSize: 50,
        onBackgroundError: (error) => backgroundErrors.push(error),
      });
      stores.push(store);
      return store;
    };
    await migrate({ pool: db.pool, schema: db.schema, table });
    const a = instance('a');
    const b = instance('b');
    const heard = { a: [] as StoreEvent[], b: [] as StoreEvent[] };
    const offA = a.subscribe!((e) => heard.a.push(e));
    const offB = b.subscribe!((e) => heard.b.push(e));
    const listening = async (from: PostgresStore, ear: StoreEvent[]) =>
      untilHeard(
        () => from.save(createWrite(`probe-${Math.random()}`)),
        () => ear.some((e) => e.type === 'created'),
      );
    expect(await listening(a, heard.b)).toBe(true);
    expect(await listening(b, heard.a)).toBe(true);

    // 1500 sessions expiring over the next 1.5 s, created through both instances.
    const expiring = Array.from({ length: 1500 }, (_, i) => `exp-${i}`);
    let lastExpiry = 0;
    for (let i = 0; i < expiring.length; i += 100) {
      await Promise.all(
        expiring.slice(i, i + 100).map((id, j) => {
          const write = createWrite(id, { set: { n: '1' }, ttlMs: 50 + Math.random() * 1500 });
          lastExpiry = Math.max(lastExpiry, write.expiresAt);
          return (j % 2 ? a : b).save(write);
        }),
      );
    }

    // Traffic meanwhile: writes to long-lived sessions, touches that race the sweepers for expiring
    // ones (a touch that wins keeps its session), explicit cleanups from both sides.
    const rescued = new Set<string>();
    const trafficErrors: unknown[] = [];
    let running = true;
    const worker = async (store: PostgresStore, w: number) => {
      for (let n = 0; running; n++) {
        const id = `live-${w}-${n % 20}`;
        try {
          if (n < 20) await store.save(createWrite(id, { set: { v: '0' } }));
          const now = Date.now();
          await store.save({ ...createWrite(id), kind: 'update', set: new Map([[`k${n % 7}`, String(n)]]) });
          const target = expiring[Math.floor(Math.random() * expiring.length)]!;
          if (
            n % 3 === 0 &&
            (await store.touch({ id: target, now, lastAccessedAt: now, expiresAt: now + 600_000 }))
          )
            rescued.add(target);
          if (n % 10 === 0) await store.cleanupExpired(Date.now());
        } catch (error) {
          trafficErrors.push(error);
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w % 2 ? a : b, w));
    const gone = await waitFor(
      async () => {
        const left = await db.pool.query(
          `SELECT count(*)::int AS n FROM "${db.schema}"."${table}" WHERE id LIKE 'exp-%' AND expires_at <= now()`,
        );
        return left.rows[0].n === 0 && Date.now() > lastExpiry;
      },
      20_000,
      100,
    );
    running = false;
    await Promise.all(workers);
    expect(gone).toBe(true);
    expect(trafficErrors).toEqual([]);
    expect(backgroundErrors.map((e) => [(e as Error).message, String((e as Error).cause)])).toEqual([]);
    // Let the last NOTIFYs arrive.
    await new Promise((r) => setTimeout(r, 500));

    const remaining = new Set(
      (await db.pool.query(`SELECT id FROM "${db.schema}"."${table}" WHERE id LIKE 'exp-%'`)).rows.map(
        (r) => r.id,
      ),
    );
    const removed = expiring.filter((id) => !remaining.has(id));
    for (const id of remaining) expect(rescued.has(id)).toBe(true);
    expect(removed.length).toBeGreaterThan(500);
    expect(removed.length + remaining.size).toBe(expiring.length);
    for (const [name, events] of Object.entries(heard)) {
      const expired = events.filter((e) => e.type === 'expired').map((e) => e.sessionId);
      // Every removed session reported exactly once to each instance, nothing else reported expired.
      expect(expired.length, `${name}: one event per removal`).toBe(new Set(expired).size);
      expect(new Set(expired), name).toEqual(new Set(removed));
    }
    offA();
    offB();
  });
} else {
  skipUnreachable();
}
