import { storeCapabilities } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { waitFor } from '../wait-for.js';
import { sleep, useManualHarness, useRealHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function expirySuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('expiry (injected clock)', () => {
    const h = useManualHarness(kit);

    it('expires after the idle timeout, not before', async () => {
      const repo = h.repository({ idleTimeoutMs: 30 * 60_000 });
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      h.clock.advance(30 * 60_000 - 1);
      expect(await repo.findById(session.id)).not.toBeNull();
      h.clock.advance(1);
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('an access (touch) moves the idle deadline', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      h.clock.advance(50_000);
      const loaded = (await repo.findById(session.id))!;
      loaded.access(h.clock.now());
      await repo.save(loaded);
      h.clock.advance(50_000);
      const again = await repo.findById(session.id);
      expect(again?.get('a')).toBe(1);
      expect(again?.lastAccessedAt).toBe(loaded.lastAccessedAt);
      h.clock.advance(10_000);
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('expires at the absolute lifetime even when accessed continuously', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000, absoluteTimeoutMs: 150_000 });
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      expect(session.absoluteExpiresAt).toBe(session.createdAt + 150_000);
      for (let i = 0; i < 3; i++) {
        h.clock.advance(45_000);
        const loaded = (await repo.findById(session.id))!;
        expect(loaded).not.toBeNull();
        loaded.access(h.clock.now());
        await repo.save(loaded);
      }
      h.clock.advance(15_000);
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('expired sessions are not returned by find-by-principal', async () => {
      if (!storeCapabilities(h.store).findByPrincipal) return;
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const principal = `expiring-${repo.idGenerator.generate()}`;
      const session = repo.createSession();
      session.principal = principal;
      await repo.save(session);
      expect((await repo.findByPrincipal(principal)).size).toBe(1);
      h.clock.advance(60_000);
      expect((await repo.findByPrincipal(principal)).size).toBe(0);
    });
  });

  describe('cleanup of expired sessions', () => {
    const h = useManualHarness(kit);

    it('removes what expired and keeps the rest (stores declaring cleanup)', async () => {
      if (!h.store.cleanupExpired) {
        await expect(h.repository().cleanupExpired()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
        return;
      }
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const expiring = Array.from({ length: 5 }, () => repo.createSession().set('x', 1));
      for (const s of expiring) await repo.save(s);
      h.clock.advance(30_000);
      const alive = repo.createSession().set('y', 1);
      await repo.save(alive);
      h.clock.advance(30_001);
      expect(await repo.cleanupExpired()).toBeGreaterThanOrEqual(5);
      for (const s of expiring) expect(await h.store.load(s.id)).toBeNull();
      expect((await repo.findById(alive.id))?.get('y')).toBe(1);
    });
  });

  describe('expiry (real clock, short timeouts)', () => {
    const h = useRealHarness(kit);

    it('a session with a 1 s idle timeout is gone after it, and the backend drops it', async () => {
      const repo = h.repository({ idleTimeoutMs: 1000 });
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      expect(await repo.findById(session.id)).not.toBeNull();
      await sleep(1100);
      expect(await repo.findById(session.id)).toBeNull();
      if (kit.inspect) {
        // Removed by the backend itself (TTL, sweeper) or by core on that read: either way, not kept.
        expect(
          await waitFor(
            async () => !(await kit.inspect!.exists(session.id, h.store)),
            kit.expiryLatencyMs,
            100,
          ),
        ).toBe(true);
      }
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('a session with a 1 s absolute lifetime is gone after it despite a long idle timeout', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000, absoluteTimeoutMs: 1000 });
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      await sleep(600);
      const loaded = (await repo.findById(session.id))!;
      loaded.access(Date.now());
      await repo.save(loaded);
      await sleep(600);
      expect(await repo.findById(session.id)).toBeNull();
    });
  });
}
