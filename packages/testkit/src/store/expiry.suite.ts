import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { waitFor } from '../wait-for.js';
import { requireCapability, requireNoCapability } from './applicability.js';
import { expectSaved, RULE, writeFor } from './contract-rules.js';
import { sleep, useManualHarness, useRealHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function expirySuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('expiry (injected clock)', () => {
    const h = useManualHarness(kit);

    it('expires after the idle timeout, not before', async () => {
      const repo = h.repository({ idleTimeoutMs: 30 * 60_000 });
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      h.clock.advance(30 * 60_000 - 1);
      expect(await repo.findById(session.id)).not.toBeNull();
      h.clock.advance(1);
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('an access (touch) moves the idle deadline', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      h.clock.advance(50_000);
      const loaded = (await repo.findById(session.id))!;
      loaded.access(h.clock.now());
      await expectSaved(repo, loaded);
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
      await expectSaved(repo, session);
      expect(session.absoluteExpiresAt).toBe(session.createdAt + 150_000);
      for (let i = 0; i < 3; i++) {
        h.clock.advance(45_000);
        const loaded = (await repo.findById(session.id))!;
        expect(loaded).not.toBeNull();
        loaded.access(h.clock.now());
        await expectSaved(repo, loaded);
      }
      h.clock.advance(15_000);
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('expired sessions are not returned by find-by-principal', async (context) => {
      requireCapability(context, h.store, 'findByPrincipal');
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const principal = `expiring-${repo.idGenerator.generate()}`;
      const session = repo.createSession();
      session.principal = principal;
      await expectSaved(repo, session);
      expect((await repo.findByPrincipal(principal)).size).toBe(1);
      h.clock.advance(60_000);
      expect((await repo.findByPrincipal(principal)).size).toBe(0);
    });
  });

  describe('writes to a session that expired but is still stored', () => {
    const h = useManualHarness(kit);

    /** A session stored with `expiresAt` = its save time + 60 s, and the clock moved to that expiry. */
    const expiredButStored = async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      h.clock.advance(60_000); // now === expiresAt: expired (core's rule is now >= expiresAt)
      return { repo, id: session.id, now: h.clock.now() };
    };

    it('an update at or after expiry resolves false and does not bring it back', async () => {
      const { repo, id, now } = await expiredButStored();
      const revive = writeFor(id, 'update', now, { set: new Map([['a', '2']]) });
      expect(await h.store.save(revive), RULE.updateExpired).toBe(false);
      expect(await h.store.save({ ...revive, now: now + 1 }), RULE.updateExpired).toBe(false);
      expect(await repo.findById(id), RULE.updateExpired).toBeNull();
    });

    it('a touch at or after expiry resolves false and does not bring it back', async (context) => {
      requireCapability(context, h.store, 'touch');
      const { repo, id, now } = await expiredButStored();
      const revive = { id, now, lastAccessedAt: now, expiresAt: now + 60_000 };
      expect(await h.store.touch!(revive), RULE.touchExpired).toBe(false);
      expect(await h.store.touch!({ ...revive, now: now + 1 }), RULE.touchExpired).toBe(false);
      expect(await repo.findById(id), RULE.touchExpired).toBeNull();
    });

    it('an id change at or after expiry resolves false and creates nothing under the new id', async () => {
      const { repo, id, now } = await expiredButStored();
      const newId = repo.idGenerator.generate();
      if (h.store.changeId) {
        expect(await h.store.changeId(id, newId, now), RULE.changeIdExpired).toBe(false);
        expect(await h.store.changeId(id, newId, now + 1), RULE.changeIdExpired).toBe(false);
        expect(await repo.findById(newId), RULE.changeIdExpired).toBeNull();
        expect(await h.store.load(newId), RULE.changeIdExpired).toBeNull();
      }
      // Through the repository: a request that loaded the session 1 ms before its expiry and rotates
      // it after (core's copy-then-delete fallback for stores without changeId).
      const session = repo.createSession().set('b', 1);
      await expectSaved(repo, session);
      h.clock.advance(59_999);
      const late = (await repo.findById(session.id))!;
      expect(late, 'the session must still be live 1 ms before its expiry').not.toBeNull();
      h.clock.advance(1);
      late.changeId();
      expect(await repo.save(late), RULE.changeIdExpired).toBe(false);
      expect(await repo.findById(late.id), RULE.changeIdExpired).toBeNull();
      expect(await h.store.load(late.id), RULE.changeIdExpired).toBeNull();
      expect(await repo.findById(session.id)).toBeNull();
    });

    it('a write 1 ms before expiry still applies (the boundary is expiresAt <= now)', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      h.clock.advance(59_999);
      const now = h.clock.now();
      const update = writeFor(session.id, 'update', now, { set: new Map([['a', '2']]) });
      expect(await h.store.save(update), RULE.updateApplies).toBe(true);
      expect((await repo.findById(session.id))?.get('a')).toBe(2);
    });
  });

  describe('cleanup of expired sessions', () => {
    const h = useManualHarness(kit);

    it('without the cleanup capability, cleanupExpired fails with UNSUPPORTED', async (context) => {
      requireNoCapability(context, h.store, 'cleanup');
      await expect(h.repository().cleanupExpired()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    });

    /** Whether the backend still holds `id`: the author's inspect hook, else whether delete finds it. */
    const stillStored = async (id: string) =>
      kit.inspect ? kit.inspect.exists(h.store, id) : h.store.delete(id);

    it('removes expired sessions nobody reads again, and keeps the live ones', async (context) => {
      requireCapability(context, h.store, 'cleanup');
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const expiring = Array.from({ length: 5 }, () => repo.createSession().set('x', 1));
      for (const s of expiring) await expectSaved(repo, s);
      h.clock.advance(30_000);
      const alive = repo.createSession().set('y', 1);
      await expectSaved(repo, alive);
      h.clock.advance(30_001);
      expect(await repo.cleanupExpired()).toBeGreaterThanOrEqual(5);
      // Checked in the backend, not through load(): a store may hide expired sessions on read and
      // still never remove them.
      for (const s of expiring) expect(await stillStored(s.id), RULE.cleanupRemoves).toBe(false);
      expect((await repo.findById(alive.id))?.get('y'), RULE.cleanupKeeps).toBe(1);
    });

    it('the boundary: a session expiring exactly at `now` is removed, one expiring 1 ms later is kept', async (context) => {
      requireCapability(context, h.store, 'cleanup');
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const due = repo.createSession().set('x', 1);
      await expectSaved(repo, due);
      h.clock.advance(1);
      const next = repo.createSession().set('y', 1);
      await expectSaved(repo, next);
      h.clock.advance(59_999); // now === due.expiresAt === next.expiresAt - 1
      expect(h.clock.now()).toBe(due.expiresAt);
      await h.store.cleanupExpired!(h.clock.now());
      expect(await stillStored(due.id), RULE.cleanupRemoves).toBe(false);
      expect((await repo.findById(next.id))?.get('y'), RULE.cleanupKeeps).toBe(1);
    });
  });

  describe('expiry (real clock, short timeouts)', () => {
    const h = useRealHarness(kit);

    it('a session with a 1 s idle timeout is gone after it, and the backend drops it', async () => {
      const repo = h.repository({ idleTimeoutMs: 1000 });
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      expect(await repo.findById(session.id)).not.toBeNull();
      await sleep(1100);
      expect(await repo.findById(session.id)).toBeNull();
      if (kit.inspect) {
        // Removed by the backend itself (TTL, sweeper) or by core on that read: either way, not kept.
        expect(
          await waitFor(
            async () => !(await kit.inspect!.exists(h.store, session.id)),
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
      await expectSaved(repo, session);
      await sleep(600);
      const loaded = (await repo.findById(session.id))!;
      loaded.access(Date.now());
      await expectSaved(repo, loaded);
      await sleep(600);
      expect(await repo.findById(session.id)).toBeNull();
    });
  });
}
