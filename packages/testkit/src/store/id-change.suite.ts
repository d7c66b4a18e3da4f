import { randomIdGenerator, storeCapabilities } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { requireCapability } from './applicability.js';
import { expectSaved, RULE, rejectionOf, writeFor } from './contract-rules.js';
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
      await expectSaved(repo, session);
      const oldId = session.id;
      const loaded = (await repo.findById(oldId))!;
      const newId = loaded.changeId();
      expect(newId).not.toBe(oldId);
      loaded.set('after', true);
      await expectSaved(repo, loaded);
      expect(await repo.findById(oldId)).toBeNull();
      if (kit.inspect) expect(await kit.inspect.exists(h.store, oldId)).toBe(false);
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
      await expectSaved(repo, session);
      expect(await repo.findById(first)).toBeNull();
      expect((await repo.findById(session.id))?.get('a')).toBe(1);
    });

    it('a late save on the old id after a rotation writes nothing and never revives it', async () => {
      const repo = h.repository();
      // The late writer is another process (its own repository): core cannot know of the rotation, so
      // only the store's rule keeps the old id dead.
      const elsewhere = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      const late = (await elsewhere.findById(session.id))!;
      const rotating = (await repo.findById(session.id))!;
      const oldId = rotating.id;
      rotating.changeId();
      await expectSaved(repo, rotating);
      late.set('b', 2);
      expect(await elsewhere.save(late), RULE.oldIdAfterChange).toBe(false);
      expect(await repo.findById(oldId)).toBeNull();
      expect((await repo.findById(rotating.id))?.has('b'), RULE.oldIdAfterChange).toBe(false);
    });

    it('renaming a session that was deleted meanwhile resolves false and creates nothing', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      await repo.deleteById(session.id);
      loaded.changeId();
      expect(await repo.save(loaded)).toBe(false);
      expect(await repo.findById(loaded.id)).toBeNull();
      if (h.store.changeId) {
        const renamed = await h.store.changeId(session.id, repo.idGenerator.generate(), h.clock.now());
        expect(renamed, RULE.changeIdMissing).toBe(false);
      }
    });

    it('two rotations in a row keep the data', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      session.changeId();
      await expectSaved(repo, session);
      session.changeId();
      session.set('b', 2);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.get('a')).toBe(1);
      expect(loaded.get('b')).toBe(2);
    });

    it('an id change into an id that already exists fails with CONFLICT and leaves both sessions', async () => {
      const repo = h.repository();
      const moving = repo.createSession().set('who', 'moving');
      const taken = repo.createSession().set('who', 'taken');
      await expectSaved(repo, moving);
      await expectSaved(repo, taken);
      if (h.store.changeId) {
        const { code } = await rejectionOf(h.store.changeId(moving.id, taken.id, h.clock.now()));
        expect(code, RULE.changeIdConflict).toBe('CONFLICT');
      }
      // Through the repository too (stores without changeId: core's copy must not overwrite either).
      const colliding = h.repository({
        idGenerator: { generate: () => taken.id, isValid: (id) => randomIdGenerator().isValid(id) },
      });
      const loaded = (await colliding.findById(moving.id))!;
      loaded.changeId();
      expect(loaded.id).toBe(taken.id);
      const { code } = await rejectionOf(colliding.save(loaded));
      expect(code, RULE.changeIdConflict).toBe('CONFLICT');
      expect((await repo.findById(moving.id))?.get('who'), RULE.changeIdConflict).toBe('moving');
      expect((await repo.findById(taken.id))?.get('who'), RULE.changeIdConflict).toBe('taken');
    });

    it('after an id change, writes to the old id resolve false and write nothing; writes to the new id apply', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      const oldId = session.id;
      session.changeId();
      await expectSaved(repo, session);
      const now = h.clock.now();
      const toOld = writeFor(oldId, 'update', now, { set: new Map([['late', '1']]) });
      expect(await h.store.save(toOld), RULE.oldIdAfterChange).toBe(false);
      if (h.store.touch) {
        const touch = { id: oldId, now, lastAccessedAt: now, expiresAt: now + 60_000 };
        expect(await h.store.touch(touch), RULE.oldIdAfterChange).toBe(false);
      }
      expect(await h.store.load(oldId), RULE.oldIdAfterChange).toBeNull();
      const toNew = writeFor(session.id, 'update', now, { set: new Map([['next', '2']]) });
      expect(await h.store.save(toNew), RULE.updateApplies).toBe(true);
      const renamed = (await repo.findById(session.id))!;
      expect(renamed.get('a')).toBe(1);
      expect(renamed.get('next')).toBe(2);
      expect(renamed.has('late'), RULE.oldIdAfterChange).toBe(false);
    });

    it('writes racing an id change: each one acknowledged is kept under the new id, each refused wrote nothing', async (context) => {
      requireCapability(context, h.store, 'changeId');
      const repo = h.repository();
      const session = repo.createSession().set('base', 0);
      await expectSaved(repo, session);
      const oldId = session.id;
      const newId = repo.idGenerator.generate();
      const now = h.clock.now();
      const write = (i: number) =>
        h.store.save(writeFor(oldId, 'update', now, { set: new Map([[`k${i}`, String(i)]]) }));
      // Writes sent before, with and after the rename, all in flight together (as concurrent requests
      // of one user during a login are).
      const before = Array.from({ length: 10 }, (_, i) => write(i));
      const rename = h.store.changeId!(oldId, newId, now);
      const after = Array.from({ length: 20 }, (_, i) => write(10 + i));
      const outcomes = await Promise.all([...before, ...after]);
      expect(await rename, RULE.changeIdApplies).toBe(true);
      const moved = (await repo.findById(newId))!;
      expect(moved?.get('base')).toBe(0);
      outcomes.forEach((applied, i) => {
        const message = applied ? RULE.acknowledgedWriteKept : RULE.oldIdAfterChange;
        expect(moved.has(`k${i}`), `${message} (write k${i} resolved ${applied})`).toBe(applied);
      });
      expect(await h.store.load(oldId), RULE.oldIdAfterChange).toBeNull();
      const last = await h.store.save(writeFor(oldId, 'update', now, { set: new Map([['z', '1']]) }));
      expect(last, RULE.oldIdAfterChange).toBe(false);
    });
  });
}
