import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { expectSaved } from './contract-rules.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function deltaSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('delta saves', () => {
    const h = useManualHarness(kit);

    it('two copies of one session, each changing a different attribute, keep both changes', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('base', 0);
      await expectSaved(repo, session);
      const first = (await repo.findById(session.id))!;
      const second = (await repo.findById(session.id))!;
      first.set('a', 'from first');
      second.set('b', 'from second');
      await expectSaved(repo, first);
      await expectSaved(repo, second);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.get('a')).toBe('from first');
      expect(loaded.get('b')).toBe('from second');
      expect(loaded.get('base')).toBe(0);
    });

    it('a removal in one copy and a set in another both persist', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('gone', 1).set('kept', 1);
      await expectSaved(repo, session);
      const first = (await repo.findById(session.id))!;
      const second = (await repo.findById(session.id))!;
      first.remove('gone');
      second.set('added', true);
      await expectSaved(repo, second);
      await expectSaved(repo, first);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.has('gone')).toBe(false);
      expect(loaded.get('kept')).toBe(1);
      expect(loaded.get('added')).toBe(true);
    });

    it('removes attributes, and removing an absent attribute is harmless', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('a', 1).set('b', 2);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      loaded.remove('a').remove('never-there');
      await expectSaved(repo, loaded);
      const again = (await repo.findById(session.id))!;
      expect(again.names()).toEqual(['b']);
      again.set('a', 3);
      await expectSaved(repo, again);
      expect((await repo.findById(session.id))!.get('a')).toBe(3);
    });

    it('20 concurrent saves of different attributes on one session all persist', async () => {
      const repo = h.repository();
      const session = repo.createSession();
      await expectSaved(repo, session);
      const copies = await Promise.all(Array.from({ length: 20 }, () => repo.findById(session.id)));
      await Promise.all(copies.map((copy, i) => repo.save(copy!.set(`k${i}`, i))));
      const loaded = (await repo.findById(session.id))!;
      for (let i = 0; i < 20; i++) expect(loaded.get(`k${i}`)).toBe(i);
    });

    it('an object mutated in place after get() is saved', async () => {
      const repo = h.repository();
      const session = repo.createSession().set('cart', { items: ['a'] });
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      (loaded.get('cart') as { items: string[] }).items.push('b');
      await expectSaved(repo, loaded);
      expect((await repo.findById(session.id))!.get('cart')).toEqual({ items: ['a', 'b'] });
    });

    it('changes the idle timeout of one session', async () => {
      const repo = h.repository({ idleTimeoutMs: 60_000 });
      const session = repo.createSession();
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      loaded.maxInactiveMs = 5_000;
      await expectSaved(repo, loaded);
      const again = (await repo.findById(session.id))!;
      expect(again.maxInactiveMs).toBe(5_000);
      h.clock.advance(5_001);
      expect(await repo.findById(session.id)).toBeNull();
    });
  });
}
