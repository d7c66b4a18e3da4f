import {
  createSessionRepository,
  type EventGap,
  isSessionError,
  type SessionEventType,
  type SessionRepository,
  type StoreEvent,
} from '@sess/core';
import { waitFor } from '@sess/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { hasRedisServerBinary, RedisProcess, unavailable } from './redis-servers.js';

/** A private redis-server this file starts, kills and restarts. */
const PORT = 7111;
const TIMEOUT_MS = 400;
const available = hasRedisServerBinary() || unavailable('redis-server (to run the fault test)');

describe.skipIf(!available)('faults: Redis killed and restarted under traffic', () => {
  const server = new RedisProcess(PORT);
  let client: Redis;
  let store: RedisStore;
  let repo: SessionRepository;
  const events: { type: SessionEventType; id: string }[] = [];
  const gaps: EventGap[] = [];
  const offs: (() => void)[] = [];
  let killedAt = 0;

  beforeAll(async () => {
    await server.start();
    client = new Redis({
      port: PORT,
      host: '127.0.0.1',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    client.on('error', () => undefined); // the application's job; the store reports through its own errors
    store = new RedisStore({
      client,
      prefix: 'fault:',
      operationTimeoutMs: TIMEOUT_MS,
      sweepIntervalMs: 200,
      onBackgroundError: () => undefined,
    });
    await new Promise((resolve) => client.once('ready', resolve));
    await store.ready();
    repo = createSessionRepository({ store, idleTimeoutMs: 60_000 });
    for (const type of ['created', 'expired'] as const) {
      offs.push(repo.on(type, (e: StoreEvent) => events.push({ type, id: e.sessionId })));
    }
    offs.push(repo.onEventsMissed((gap) => gaps.push(gap)));
  });

  afterAll(async () => {
    for (const off of offs) off();
    await store?.close();
    client?.disconnect();
    await server.stop();
  });

  /** Runs `count` create-save-load rounds; returns each round's outcome and duration. */
  async function traffic(count: number) {
    const outcomes: { ok: boolean; code: string | null; ms: number }[] = [];
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const started = performance.now();
        try {
          const session = repo.createSession().set('i', i);
          await repo.save(session);
          const loaded = await repo.findById(session.id);
          outcomes.push({ ok: loaded?.get('i') === i, code: null, ms: performance.now() - started });
        } catch (error) {
          outcomes.push({
            ok: false,
            code: isSessionError(error) ? error.code : String(error),
            ms: performance.now() - started,
          });
        }
      }),
    );
    return outcomes;
  }

  it('serves traffic while Redis is up, with events', async () => {
    const outcomes = await traffic(50);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(await waitFor(() => events.filter((e) => e.type === 'created').length >= 50, 3000)).toBe(true);
  });

  it('a Redis that stops answering fails each operation within operationTimeoutMs, typed', async () => {
    const admin = new Redis({ port: PORT, host: '127.0.0.1' });
    try {
      await admin.client('PAUSE', 1500, 'ALL');
      const started = performance.now();
      const error = await store.load('x'.repeat(43)).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 250);
      await new Promise((r) => setTimeout(r, 1600));
    } finally {
      admin.disconnect();
    }
  });

  it('while Redis is down: every operation fails fast with STORE_UNAVAILABLE, nothing crashes', async () => {
    expect(gaps).toEqual([]); // a paused Redis (above) did not drop the subscriber connection
    await server.kill();
    killedAt = Date.now();
    const until = Date.now() + 1500;
    const outcomes: Awaited<ReturnType<typeof traffic>> = [];
    while (Date.now() < until) {
      outcomes.push(...(await traffic(20)));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => o.ok)).toEqual([]);
    expect(new Set(outcomes.map((o) => o.code))).toEqual(new Set(['STORE_UNAVAILABLE']));
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(TIMEOUT_MS + 250);
    // Also with ioredis' defaults (offline queue on, 20 retries): the store still answers fast.
    const lenient = new Redis({ port: PORT, host: '127.0.0.1', retryStrategy: () => 100 });
    lenient.on('error', () => undefined);
    const other = new RedisStore({
      client: lenient,
      prefix: 'fault:',
      operationTimeoutMs: TIMEOUT_MS,
      events: false,
      onBackgroundError: () => undefined,
    });
    try {
      const started = performance.now();
      const error = await other.load('y'.repeat(43)).catch((e: unknown) => e);
      expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 250);
    } finally {
      await other.close();
      lenient.disconnect();
    }
  });

  it('after a restart: sessions written work, created and expired events resume', async () => {
    await server.start();
    // The application is told that events may have been missed, and when.
    expect(await waitFor(() => gaps.length > 0, 10_000, 50)).toBe(true);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.from).toBeGreaterThanOrEqual(killedAt - 50);
    expect(gaps[0]!.to).toBeGreaterThan(gaps[0]!.from);
    expect(await waitFor(() => client.status === 'ready', 10_000, 50)).toBe(true);
    // The subscriber reconnects on its own schedule; allow it a moment, then everything must work.
    const outcomes = await waitFor(async () => (await traffic(10)).every((o) => o.ok), 5000, 100);
    expect(outcomes).toBe(true);
    const fresh = repo.createSession().set('after', true);
    await repo.save(fresh);
    expect((await repo.findById(fresh.id))?.get('after')).toBe(true);
    const created = await waitFor(() => events.some((e) => e.type === 'created' && e.id === fresh.id), 5000);
    expect(created).toBe(true);
    const short = createSessionRepository({ store, idleTimeoutMs: 300 });
    const expiring = short.createSession().set('a', 1);
    await short.save(expiring);
    const expired = await waitFor(
      () => events.some((e) => e.type === 'expired' && e.id === expiring.id),
      5000,
    );
    expect(expired).toBe(true);
  });

  it("keyspace notifications ('configure'): enabled on the server, and expiries are reported without waiting for a sweep", async () => {
    const fast = new RedisStore({
      client,
      prefix: 'keyspace:',
      keyspaceNotifications: 'configure',
      sweepIntervalMs: 3_600_000, // the periodic sweep will not come in time: only notifications can
      onBackgroundError: () => undefined,
    });
    try {
      await fast.ready();
      const flags = (await client.config('GET', 'notify-keyspace-events')) as unknown as string[];
      expect(flags[1]).toMatch(/E/);
      expect(flags[1]).toMatch(/x|A/);
      const seen: string[] = [];
      const off = fast.subscribe((e) => {
        if (e.type === 'expired') seen.push(e.sessionId);
      });
      const quick = createSessionRepository({ store: fast, idleTimeoutMs: 200 });
      const session = quick.createSession().set('a', 1);
      await quick.save(session);
      expect(await waitFor(() => seen.includes(session.id), 3000, 20)).toBe(true);
      off();
    } finally {
      await fast.close();
    }
  });
});
