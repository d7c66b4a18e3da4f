import { PRINCIPAL_NAME_INDEX, storeCapabilities } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { requireCapability, requireNoCapability } from './applicability.js';
import { expectSaved, RULE } from './contract-rules.js';
import { coreHasDataRules, DATA_RULES_MISSING } from './core-features.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

export function principalIndexSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('find by principal', () => {
    const h = useManualHarness(kit);
    const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;

    it('without the findByPrincipal capability, fails with UNSUPPORTED (never an empty answer)', async (context) => {
      requireNoCapability(context, h.store, 'findByPrincipal');
      await expect(h.repository().findByPrincipal('anyone')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    });

    it('finds every live session of a principal, and only those', async (context) => {
      requireCapability(context, h.store, 'findByPrincipal');
      const repo = h.repository();
      const alice = unique('alice');
      const bob = unique('bob');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const s = repo.createSession().set('i', i);
        s.principal = alice;
        await expectSaved(repo, s);
        ids.push(s.id);
      }
      const other = repo.createSession();
      other.principal = bob;
      await expectSaved(repo, other);
      const found = await repo.findByIndex(PRINCIPAL_NAME_INDEX, alice);
      expect(new Set(found.keys())).toEqual(new Set(ids));
      expect(found.get(ids[1]!)?.get('i')).toBe(1);
      expect([...(await repo.findByPrincipal(bob)).keys()]).toEqual([other.id]);
      expect((await repo.findByPrincipal(unique('nobody'))).size).toBe(0);
    });

    it('follows a change of principal and its removal', async (context) => {
      requireCapability(context, h.store, 'findByPrincipal');
      const repo = h.repository();
      const first = unique('first');
      const second = unique('second');
      const session = repo.createSession();
      session.principal = first;
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      loaded.principal = second;
      await expectSaved(repo, loaded);
      expect((await repo.findByPrincipal(first)).size).toBe(0);
      expect([...(await repo.findByPrincipal(second)).keys()]).toEqual([session.id]);
      const again = (await repo.findById(session.id))!;
      again.principal = null;
      await expectSaved(repo, again);
      expect((await repo.findByPrincipal(second)).size).toBe(0);
      expect((await repo.findById(session.id))?.principal).toBeNull();
    });

    it('forgets deleted sessions', async (context) => {
      requireCapability(context, h.store, 'findByPrincipal');
      const repo = h.repository();
      const user = unique('deleted');
      const a = repo.createSession();
      a.principal = user;
      const b = repo.createSession();
      b.principal = user;
      await expectSaved(repo, a);
      await expectSaved(repo, b);
      await repo.deleteById(a.id);
      expect([...(await repo.findByPrincipal(user)).keys()]).toEqual([b.id]);
    });

    it('revoking all sessions of a user (list, then delete each) leaves none', async (context) => {
      requireCapability(context, h.store, 'findByPrincipal');
      const repo = h.repository();
      const user = unique('revoke');
      for (let i = 0; i < 5; i++) {
        const s = repo.createSession();
        s.principal = user;
        await expectSaved(repo, s);
      }
      const found = await repo.findByPrincipal(user);
      expect(found.size).toBe(5);
      await Promise.all([...found.keys()].map((id) => repo.deleteById(id)));
      expect((await repo.findByPrincipal(user)).size).toBe(0);
    });

    it('treats principals as exact strings (unicode, spaces, separators, patterns)', async (context) => {
      requireCapability(context, h.store, 'findByPrincipal');
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
        await expectSaved(repo, s);
        expect([...(await repo.findByPrincipal(name)).keys()]).toEqual([s.id]);
      }
      expect((await repo.findByPrincipal('*')).size).toBe(0);
      expect((await repo.findByPrincipal('%')).size).toBe(0);
    });

    it('distinct principals stay distinct: trailing space, case and Unicode normalisation (NFC/NFD) are not folded', async () => {
      const repo = h.repository();
      const base = unique('user');
      // Each differs from the others only in a way some backends fold: SQL PAD SPACE comparison, a
      // case-insensitive collation, a normalising driver. The last is 512 UTF-16 code units of a
      // 3-byte character (the longest principal core allows).
      const principals = [
        base,
        `${base} `,
        `${base}  `,
        ` ${base}`,
        `${base}\t`,
        base.toUpperCase(),
        `${base[0]!.toUpperCase()}${base.slice(1)}`,
        `caf\u00e9 ${base}`, // NFC
        `cafe\u0301 ${base}`, // NFD: the same text, canonically equivalent
        `\u212b ${base}`, // ANGSTROM SIGN, NFC-normalises to U+00C5
        `\u00c5 ${base}`,
        `${'\u20ac'.repeat(512 - base.length)}${base}`,
      ];
      const ids = new Map<string, string>();
      for (const principal of principals) {
        const session = repo.createSession().set('p', principal);
        session.principal = principal;
        await expectSaved(repo, session);
        ids.set(principal, session.id);
      }
      for (const [principal, id] of ids) {
        const loaded = await repo.findById(id);
        expect(loaded?.principal, `${RULE.principalExact}: ${JSON.stringify(principal)}`).toBe(principal);
      }
      if (!storeCapabilities(h.store).findByPrincipal) return; // the stored form is all there is to check
      for (const [principal, id] of ids) {
        const found = [...(await repo.findByPrincipal(principal)).keys()];
        expect(found, `${RULE.principalExact}: listing ${JSON.stringify(principal)}`).toEqual([id]);
      }
    });

    it('invalid principals are rejected by core, synchronously, before anything reaches the store', async (context) => {
      if (!coreHasDataRules()) context.skip(DATA_RULES_MISSING);
      const repo = h.repository();
      const invalid = [
        '',
        'x'.repeat(513),
        'lone \uD800 high',
        'lone \uDC00 low',
        'end \uD83D',
        'nul \u0000 byte',
      ];
      for (const principal of invalid) {
        const session = repo.createSession();
        expect(
          () => {
            session.principal = principal;
          },
          `principal ${JSON.stringify(principal)} must be rejected with SessionDataError`,
        ).toThrow(expect.objectContaining({ code: 'INVALID_DATA' }));
        expect(session.principal).toBeNull();
        await expectSaved(repo, session);
        expect((await repo.findById(session.id))?.principal, 'nothing invalid reached the store').toBeNull();
      }
    });
  });
}
