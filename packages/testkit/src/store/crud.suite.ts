import { isSessionError } from '@sess/core';
import { describe, expect } from 'vitest';
import { instrumentStore } from '../instrument-store.js';
import { kitCheck } from '../kit-check.js';
import { expectSaved, RULE, writeFor } from './contract-rules.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function crudSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('create / load / save / delete', () => {
    const h = useManualHarness(kit);

    it('saves a new session and loads it back with its metadata and attributes', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const session = repo.createSession();
      session
        .set('n', 1)
        .set('s', 'text')
        .set('o', { a: [1, 2, { b: null }] });
      session.principal = 'alice';
      expect(session.isNew).toBe(true);
      await expectSaved(repo, session);
      expect(session.isNew).toBe(false);
      const loaded = await repo.findById(session.id);
      expect(loaded).not.toBeNull();
      expect(loaded!.id).toBe(session.id);
      expect(loaded!.isNew).toBe(false);
      expect(loaded!.createdAt).toBe(session.createdAt);
      expect(loaded!.lastAccessedAt).toBe(session.lastAccessedAt);
      expect(loaded!.maxInactiveMs).toBe(60_000);
      expect(loaded!.principal).toBe('alice');
      expect(loaded!.get('n')).toBe(1);
      expect(loaded!.get('s')).toBe('text');
      expect(loaded!.get('o')).toEqual({ a: [1, 2, { b: null }] });
      expect(new Set(loaded!.names())).toEqual(new Set(['n', 's', 'o']));
    });

    it('saves a session with no attributes', async () => {
      const repo = h.repository();
      const session = repo.createSession();
      await expectSaved(repo, session);
      const loaded = await repo.findById(session.id);
      expect(loaded?.names()).toEqual([]);
      expect(loaded?.principal).toBeNull();
    });

    it('returns null for an unknown id', async () => {
      const repo = h.repository();
      expect(await repo.findById(repo.idGenerator.generate())).toBeNull();
    });

    it('never passes a malformed id to the store', async () => {
      const repo = h.repository();
      const spy = instrumentStore(h.store);
      const spied = h.repository({ store: spy.store });
      for (const id of [
        '',
        'short',
        '../../etc/passwd',
        'x'.repeat(5000),
        `${repo.idGenerator.generate()}*`,
        'a b',
        '{x}:y',
      ]) {
        expect(await spied.findById(id)).toBeNull();
        await spied.deleteById(id);
      }
      expect(spy.calls.load + spy.calls.delete).toBe(0);
    });

    it('deletes a session; deleting again or deleting an unknown id is harmless', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      expect(await h.store.delete(session.id), RULE.deleteRemoved).toBe(true);
      expect(await repo.findById(session.id)).toBeNull();
      expect(await h.store.delete(session.id), RULE.deleteAbsent).toBe(false);
      expect(await h.store.delete(repo.idGenerator.generate()), RULE.deleteAbsent).toBe(false);
      await repo.deleteById(session.id);
      if (kit.inspect) expect(await kit.inspect.exists(h.store, session.id)).toBe(false);
    });

    it('creates only if absent: a create for an existing id fails with a CONFLICT error', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('owner', 'first');
      await expectSaved(repo, session);
      const write = writeFor(session.id, 'create', h.clock.now(), { set: new Map([['owner', '"second"']]) });
      const error = await h.store.save(write).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isSessionError(error) && error.code, RULE.createConflict).toBe('CONFLICT');
      expect((await repo.findById(session.id))?.get('owner')).toBe('first');
    });

    it('an update or touch of a session that does not exist writes nothing and resolves false', async () => {
      const repo = h.repository();
      const id = repo.idGenerator.generate();
      const now = h.clock.now();
      const update = writeFor(id, 'update', now, { set: new Map([['a', '1']]) });
      expect(await h.store.save(update), RULE.updateMissing).toBe(false);
      if (h.store.touch) {
        const touch = { id, now, lastAccessedAt: now, expiresAt: now + 60_000 };
        expect(await h.store.touch(touch), RULE.touchMissing).toBe(false);
      }
      expect(await repo.findById(id)).toBeNull();
      if (kit.inspect) expect(await kit.inspect.exists(h.store, id)).toBe(false);
    });

    it('a request that loaded a session cannot bring it back after another request destroyed it', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      const late = (await repo.findById(session.id))!;
      await repo.deleteById(session.id);
      late.set('b', 2);
      expect(await repo.save(late), RULE.updateMissing).toBe(false);
      h.clock.advance(120_000);
      late.access(h.clock.now());
      expect(await repo.save(late), RULE.touchMissing).toBe(false);
      expect(await repo.findById(session.id)).toBeNull();
      if (kit.inspect) expect(await kit.inspect.exists(h.store, session.id)).toBe(false);
    });

    it('saving an unchanged session writes nothing', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      const counting = instrumentStore(h.store);
      const repo2 = h.repository({ store: counting.store });
      const again = (await repo2.findById(session.id))!;
      again.get('a');
      await repo2.save(again);
      await expectSaved(repo, loaded);
      expect(counting.writes()).toBe(0);
    });
  });
}
