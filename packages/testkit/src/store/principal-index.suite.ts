import { PRINCIPAL_NAME_INDEX, storeCapabilities } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function principalIndexSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('find by principal', () => {
    const h = useManualHarness(kit);
    const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;

    it('without the findByPrincipal capability, fails with UNSUPPORTED (never an empty answer)', async () => {
      if (storeCapabilities(h.store).findByPrincipal) return;
      await expect(h.repository().findByPrincipal('anyone')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    });

    it('finds every live session of a principal, and only those', async () => {
      if (!storeCapabilities(h.store).findByPrincipal) return;
      const repo = h.repository();
      const alice = unique('alice');
      const bob = unique('bob');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const s = repo.createSession().set('i', i);
        s.principal = alice;
        await repo.save(s);
        ids.push(s.id);
      }
      const other = repo.createSession();
      other.principal = bob;
      await repo.save(other);
      const found = await repo.findByIndex(PRINCIPAL_NAME_INDEX, alice);
      expect(new Set(found.keys())).toEqual(new Set(ids));
      expect(found.get(ids[1]!)?.get('i')).toBe(1);
      expect([...(await repo.findByPrincipal(bob)).keys()]).toEqual([other.id]);
      expect((await repo.findByPrincipal(unique('nobody'))).size).toBe(0);
    });

    it('follows a change of principal and its removal', async () => {
      if (!storeCapabilities(h.store).findByPrincipal) return;
      const repo = h.repository();
      const first = unique('first');
      const second = unique('second');
      const session = repo.createSession();
      session.principal = first;
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      loaded.principal = second;
      await repo.save(loaded);
      expect((await repo.findByPrincipal(first)).size).toBe(0);
      expect([...(await repo.findByPrincipal(second)).keys()]).toEqual([session.id]);
      const again = (await repo.findById(session.id))!;
      again.principal = null;
      await repo.save(again);
      expect((await repo.findByPrincipal(second)).size).toBe(0);
      expect((await repo.findById(session.id))?.principal).toBeNull();
    });

    it('forgets deleted sessions', async () => {
      if (!storeCapabilities(h.store).findByPrincipal) return;
      const repo = h.repository();
      const user = unique('deleted');
      const a = repo.createSession();
      a.principal = user;
      const b = repo.createSession();
      b.principal = user;
      await repo.save(a);
      await repo.save(b);
      await repo.deleteById(a.id);
      expect([...(await repo.findByPrincipal(user)).keys()]).toEqual([b.id]);
    });

    it('revoking all sessions of a user (list, then delete each) leaves none', async () => {
      if (!storeCapabilities(h.store).findByPrincipal) return;
      const repo = h.repository();
      const user = unique('revoke');
      for (let i = 0; i < 5; i++) {
        const s = repo.createSession();
        s.principal = user;
        await repo.save(s);
      }
      const found = await repo.findByPrincipal(user);
      expect(found.size).toBe(5);
      await Promise.all([...found.keys()].map((id) => repo.deleteById(id)));
      expect((await repo.findByPrincipal(user)).size).toBe(0);
    });

    it('treats principals as exact strings (unicode, spaces, separators, patterns)', async () => {
      if (!storeCapabilities(h.store).findByPrincipal) return;
      const repo = h.repository();
      const names = [
        `ünïcødé ${unique('')}`,
        `a:b{c}*?[x]${unique('')}`,
        `%_'"${unique('')}`,
        `${unique('')}\\n`,
      ];
      for (const name of names) {
        const s = repo.createSession();
        s.principal = name;
        await repo.save(s);
        expect([...(await repo.findByPrincipal(name)).keys()]).toEqual([s.id]);
      }
      expect((await repo.findByPrincipal('*')).size).toBe(0);
      expect((await repo.findByPrincipal('%')).size).toBe(0);
    });
  });
}
