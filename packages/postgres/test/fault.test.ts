import { randomBytes } from 'node:crypto';
import { type EventGap, isSessionError, type StoreEvent } from '@sess/core';
import { waitFor } from '@sess/testkit';
import { afterAll, expect, it } from 'vitest';
import { migrate, PostgresStore } from '../src/index.js';
import { DATABASE_URL, databaseReachable, skipUnreachable, useTestDatabase } from './database.js';
import { createWrite } from './session-writes.js';
import { TcpProxy } from './tcp-proxy.js';
import { untilHeard } from './until-heard.js';

interface Outcome {
  readonly at: number;
  readonly ms: number;
  readonly error?: unknown;
}

if (await databaseReachable()) {
  const db = useTestDatabase();
  const target = new URL(DATABASE_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const stores: PostgresStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await proxy.stop();
  });

  it('the database goes away, has its connections killed, then hangs, under traffic: typed errors, then recovery and LISTEN again', {
    timeout: 60_000,
  }, async () => {
    await proxy.start();
    const table = db.table('fault');
    await migrate({ pool: db.pool, schema: db.schema, table });
    const viaProxy = new URL(DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const appName = `sess-fault-${randomBytes(4).toString('hex')}`;
    const pool = db.extraPool({ connectionString: viaProxy.toString(), max: 6, application_name: appName });
    const backgroundErrors: unknown[] = [];
    const timeoutMs = 1000;
    const store = new PostgresStore({
      pool,
      schema: db.schema,
      table,
      operationTimeoutMs: timeoutMs,
      listenHeartbeatMs: 500,
      cleanupIntervalMs: 0,
      onBackgroundError: (error) => backgroundErrors.push(error),
    });
    // The other instance talks to the database directly and never sees the fault.
    const witness = new PostgresStore({ pool: db.pool, schema: db.schema, table, cleanupIntervalMs: 0 });
    stores.push(store, witness);
    const heard: StoreEvent[] = [];
    const off = store.subscribe!((e) => heard.push(e));
    const gaps: EventGap[] = [];
    const offGaps = store.subscribeGaps!((gap) => gaps.push(gap));
    const fromWitness = (prefix: string) => () => witness.save(createWrite(`${prefix}-${Math.random()}`));
    const heardFrom = (prefix: string) => () => heard.some((e) => e.sessionId.startsWith(prefix));
    expect(await untilHeard(fromWitness('probe-before'), heardFrom('probe-before'))).toBe(true);

    const outcomes: Outcome[] = [];
    let running = true;
    const worker = async (w: number) => {
      for (let n = 0; running; n++) {
        const id = `t-${w}-${n}`;
        const started = Date.now();
        try {
          await store.save(createWrite(id, { set: { a: '1' } }));
          await store.load(id);
          await store.save({ ...createWrite(id), kind: 'update', set: new Map([['b', '2']]) });
          outcomes.push({ at: started, ms: Date.now() - started });
        } catch (error) {
          outcomes.push({ at: started, ms: Date.now() - started, error });
          await new Promise((r) => setTimeout(r, 20)); // a client backing off, not a hot loop
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    const succeedsAfter = (since: number) =>
      waitFor(() => outcomes.some((o) => o.at > since && !o.error), 10_000, 50);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // 1. Normal traffic.
    await sleep(400);
    // 2. The database "goes away": every connection cut, new ones refused.
    const down = Date.now();
    await proxy.stop();
    await sleep(1500);
    const up = Date.now();
    await proxy.start();
    expect(await succeedsAfter(up)).toBe(true);
    // 3. Its backends are terminated (what a restart or an operator does), twice.
    const killed = Date.now();
    for (let i = 0; i < 2; i++) {
      await db.pool.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
        [appName],
      );
      await sleep(300);
    }
    const recovered = Date.now();
    expect(await succeedsAfter(recovered)).toBe(true);
    // 4. The database hangs: connections open, no answers. Calls must give up at the deadline.
    const stalled = Date.now();
    proxy.stall();
    await sleep(2500);
    const resumed = Date.now();
    proxy.resume();
    expect(await succeedsAfter(resumed)).toBe(true);
    running = false;
    await Promise.all(workers);

    const failures = outcomes.filter((o) => o.error);
    expect(outcomes.filter((o) => !o.error && o.at < down).length).toBeGreaterThan(0);
    expect(failures.filter((o) => o.at >= down && o.at < up).length).toBeGreaterThan(0);
    // Every failure is typed, carries its cause, and came fast (no request hangs on a dead database).
    for (const { error, ms } of failures) {
      expect(isSessionError(error) && error.code, String(error)).toBe('STORE_UNAVAILABLE');
      expect((error as Error).cause).toBeDefined();
      expect(ms).toBeLessThan(3 * timeoutMs + 500); // three statements per iteration, each bounded
    }
    // Nothing succeeded while the database was unreachable; things worked again after each fault.
    expect(outcomes.filter((o) => !o.error && o.at > down + 100 && o.at + o.ms < up)).toEqual([]);
    expect(outcomes.filter((o) => !o.error && o.at > killed).length).toBeGreaterThan(0);
    const hung = failures.filter((o) => o.at >= stalled && o.at < resumed);
    expect(hung.length).toBeGreaterThan(0);
    expect(hung.every((o) => /within|timeout/i.test((o.error as Error).message))).toBe(true);

    // LISTEN came back by itself: the witness's events reach this instance again.
    expect(await untilHeard(fromWitness('probe-after'), heardFrom('probe-after'), 15_000)).toBe(true);
    const listenErrors = backgroundErrors.filter((e) => isSessionError(e) && e.code === 'STORE_UNAVAILABLE');
    expect(listenErrors.length).toBeGreaterThan(0);
    // Each span without LISTEN was reported once it listened again: the first one starts at the cut.
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps[0]!.from).toBeGreaterThanOrEqual(down);
    for (const gap of gaps) expect(gap.to).toBeGreaterThanOrEqual(gap.from);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!.from).toBeGreaterThanOrEqual(gaps[i - 1]!.to);
    offGaps();
    // And this instance's events reach the witness over NOTIFY again.
    const witnessHeard: StoreEvent[] = [];
    const offWitness = witness.subscribe!((e) => witnessHeard.push(e));
    expect(
      await untilHeard(
        () => store.save(createWrite(`probe-back-${Math.random()}`)),
        () => witnessHeard.length > 0,
      ),
    ).toBe(true);
    offWitness();
    off();

    // No client leaked or stuck: the pool settles with everything idle.
    expect(await waitFor(() => pool.waitingCount === 0 && pool.idleCount === pool.totalCount, 5000)).toBe(
      true,
    );
    // Every error the pool raised for idle clients was handled (the test pool records them).
    expect(db.poolErrors.every((e) => e instanceof Error)).toBe(true);
  });
} else {
  skipUnreachable();
}
