import { storeCapabilities } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function idChangeSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('id change', () => {
    const h = useManualHarness(kit);

    it('keeps data, timestamps and principal under the new id; the old id is gone', async () => {
      const repo = h.repository({ absoluteTimeoutMs: 3_600_000 });
      const session = repo.createSession().set('cart', [1, 2]);
      session.principal = `rename-${repo.idGenerator.generate()}`;
      await repo.save(session);
      const oldId = session.id;
      const loaded = (await repo.findById(oldId))!;
      const newId = loaded.changeId();
      expect(newId).not.toBe(oldId);
      loaded.set('after', true);
      await repo.save(loaded);
      expect(await repo.findById(oldId)).toBeNull();
      if (kit.inspect) expect(await kit.inspect.exists(oldId, h.store)).toBe(false);
      const renamed = (await repo.findById(newId))!;
      expect(renamed.get('cart')).toEqual([1, 2]);
      expect(renamed.get('after')).toBe(true);
      expect(renamed.createdAt).toBe(session.createdAt);
      expect(renamed.absoluteExpiresAt).toBe(session.absoluteExpiresAt);
      expect(renamed.principal).toBe(session.principal);
      if (storeCapabilities(h.store).findByPrincipal) {
        expect([...(await repo.findByPrincipal(session.principal!)).keys()]).toEqual([newId]);
      }
    });

    it('a new session whose id changed before its first save is simply created under the new id', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      const first = session.id;
      session.changeId();
      await repo.save(session);
      expect(await repo.findById(first)).toBeNull();
      expect((await repo.findById(session.id))?.get('a')).toBe(1);
    });

    it('a late save on the old id after a rotation writes nothing and never revives it', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      const late = (await repo.findById(session.id))!;
      const rotating = (await repo.findById(session.id))!;
      const oldId = rotating.id;
      rotating.changeId();
      await repo.save(rotating);
      late.set('b', 2);
      expect(await repo.save(late)).toBe(false);
      expect(await repo.findById(oldId)).toBeNull();
      expect((await repo.findById(rotating.id))?.has('b')).toBe(false);
    });

    it('renaming a session that was deleted meanwhile resolves false and creates nothing', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      await repo.deleteById(session.id);
      loaded.changeId();
      expect(await repo.save(loaded)).toBe(false);
      expect(await repo.findById(loaded.id)).toBeNull();
      if (h.store.changeId) {
        expect(await h.store.changeId(session.id, repo.idGenerator.generate(), h.clock.now())).toBe(false);
      }
    });

    it('two rotations in a row keep the data', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await repo.save(session);
      session.changeId();
      await repo.save(session);
      session.changeId();
      session.set('b', 2);
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.get('a')).toBe(1);
      expect(loaded.get('b')).toBe(2);
    });
  });
}
