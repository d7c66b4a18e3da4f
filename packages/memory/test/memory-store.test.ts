import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSessionRepository, SessionConfigError, type StoreEvent } from '@sess/core';
import { createManualClock } from '@sess/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';

describe('MemoryStore specifics', () => {
  it('evicts the least recently used session beyond maxSessions, with a deleted event', async () => {
    const clock = createManualClock();
    const store = new MemoryStore({ clock, maxSessions: 3 });
    const repository = createSessionRepository({ store, clock });
    const events: StoreEvent[] = [];
    repository.on('deleted', (e) => events.push(e));
    const sessions = [];
    for (let i = 0; i < 3; i++) {
      const s = repository.createSession().set('i', i);
      await repository.save(s);
      sessions.push(s);
    }
    await repository.findById(sessions[0]!.id); // 0 becomes most recently used; 1 is now the oldest
    const fourth = repository.createSession().set('i', 3);
    await repository.save(fourth);
    expect(store.size).toBe(3);
    expect(await repository.findById(sessions[1]!.id)).toBeNull();
    expect(await repository.findById(sessions[0]!.id)).not.toBeNull();
    expect(events.map((e) => e.sessionId)).toEqual([sessions[1]!.id]);
    await repository.close();
  });

  it('evicts expired sessions before live ones when full', async () => {
    const clock = createManualClock();
    const store = new MemoryStore({ clock, maxSessions: 2 });
    const repository = createSessionRepository({ store, clock, idleTimeoutMs: 1000 });
    const old = repository.createSession().set('a', 1);
    await repository.save(old);
    clock.advance(500);
    const live = repository.createSession().set('a', 2);
    await repository.save(live);
    clock.advance(600); // `old` expired, `live` not
    await repository.save(repository.createSession().set('a', 3));
    expect(await repository.findById(live.id)).not.toBeNull();
    await repository.close();
  });

  it('evicts in constant time at the cap: only the least recently used session, never a sweep', async () => {
    const clock = createManualClock();
    const store = new MemoryStore({ clock, maxSessions: 4 });
    const repository = createSessionRepository({ store, clock, idleTimeoutMs: 1000 });
    const events: StoreEvent[] = [];
    repository.on('deleted', (e) => events.push(e));
    repository.on('expired', (e) => events.push(e));
    const live = repository.createSession().set('a', 0);
    live.maxInactiveMs = 60_000;
    await repository.save(live);
    const shortLived = [];
    for (let i = 1; i < 4; i++) {
      const s = repository.createSession().set('a', i);
      await repository.save(s);
      shortLived.push(s);
    }
    clock.advance(2000); // the three short-lived sessions expired; the sweeper has not run
    await repository.save(repository.createSession().set('a', 4));
    // The front of the LRU order went; the expired ones further back wait for the sweeper.
    expect(events.map((e) => [e.type, e.sessionId])).toEqual([['deleted', live.id]]);
    expect(store.size).toBe(4);
    expect(await store.cleanupExpired(clock.now())).toBe(3);
    await repository.close();
  });

  it('30 writes racing a login rotation all reach the rotated session', async () => {
    const store = new MemoryStore();
    const repository = createSessionRepository({ store });
    const session = repository.createSession().set('start', 1);
    await repository.save(session);
    const racing = await Promise.all(Array.from({ length: 30 }, () => repository.findById(session.id)));
    const login = (await repository.findById(session.id))!;
    login.changeId();
    login.principal = 'dave';
    // The rotation lands first: every racing write addresses an id that is gone by then.
    expect(await repository.saveWithOutcome(login)).toBe('saved');
    const outcomes = await Promise.all(racing.map((s, i) => repository.saveWithOutcome(s!.set(`k${i}`, i))));
    expect(outcomes).toEqual(Array(30).fill('forwarded'));
    const rotated = (await repository.findById(login.id))!;
    expect(rotated.principal).toBe('dave');
    expect(rotated.names().filter((n) => n.startsWith('k'))).toHaveLength(30);
    expect(await repository.findById(session.id)).toBeNull();
    await repository.close();
  });

  it('refuses nonsense options with SessionConfigError', () => {
    for (const options of [{ maxSessions: 0 }, { maxSessions: Number.NaN }, { sweepIntervalMs: 1 }]) {
      expect(() => new MemoryStore(options)).toThrow(SessionConfigError);
    }
  });

  it("never keeps the process alive (the sweeper timer is unref'd)", async () => {
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      const { MemoryStore } = await import(${JSON.stringify(entry)});
      const store = new MemoryStore();
      const now = Date.now();
      await store.save({ id: 'x'.repeat(43), kind: 'create', now, createdAt: now, lastAccessedAt: now,
        maxInactiveMs: 3600000, absoluteExpiresAt: null, expiresAt: now + 3600000, principal: null, set: new Map(), removed: [] });
      console.log('saved');`;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 10_000,
    });
    expect(stdout.trim()).toBe('saved');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
