import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSessionRepository, type StoreEvent } from '@sess/core';
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

  it('rejects nonsense options', () => {
    expect(() => new MemoryStore({ maxSessions: 0 })).toThrow(RangeError);
    expect(() => new MemoryStore({ sweepIntervalMs: 1 })).toThrow(RangeError);
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
