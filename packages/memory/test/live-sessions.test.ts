import { createSessionRepository, type SessionRepository } from '@sess/core';
import { instrumentStore } from '@sess/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** 50 requests at once, each: acquire, I/O, `count + 1` (read and write together), I/O, save, release. */
async function fiftyIncrements(repository: SessionRepository, id: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const session = await repository.acquire(id);
      if (!session) throw new Error('session not found');
      try {
        await tick(i % 3);
        const count = (session.get('count') as number) + 1;
        session.set('count', count);
        await tick((i + 1) % 3);
        return count;
      } finally {
        await repository.saveWithOutcome(session);
        repository.release(session);
      }
    }),
  );
}

describe('MemoryStore with live sessions (one session object per id per process)', () => {
  for (const latencyMs of [0, 1]) {
    it(`50 concurrent increments of one attribute lose nothing (store latency ${latencyMs} ms)`, async () => {
      const store = instrumentStore(new MemoryStore());
      store.delay(latencyMs);
      const repository = createSessionRepository({ store: store.store });
      const session = repository.createSession().set('count', 0);
      await repository.save(session);
      store.reset();
      const seen = await fiftyIncrements(repository, session.id);
      expect(new Set(seen).size).toBe(50);
      expect((await repository.findById(session.id))?.get('count')).toBe(50);
      expect(store.calls.load).toBe(2); // one read for the 50 arriving together, one for the check
      await repository.close();
    });
  }

  it('without live sessions the same requests lose increments over a store with latency (the measured bug)', async () => {
    const store = instrumentStore(new MemoryStore());
    store.delay(1);
    const repository = createSessionRepository({ store: store.store, liveSessions: false });
    const session = repository.createSession().set('count', 0);
    await repository.save(session);
    await fiftyIncrements(repository, session.id);
    expect((await repository.findById(session.id))?.get('count')).toBeLessThan(50);
    await repository.close();
  });
});
