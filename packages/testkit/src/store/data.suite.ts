import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'id',
  'save',
  'touch',
  'cookie',
  'then',
  '',
  ' ',
  'a:b',
  '{tag}',
  'sessionAttr:x',
  'ünïcødé 名前 🍪',
  'line\nbreak',
  'nul\u0000byte',
  '$sess',
  '"quoted"',
  "it's",
  '%',
  '*',
];

export function dataSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('stored data', () => {
    const h = useManualHarness(kit);

    it('round-trips hostile and unicode attribute names as plain data', async () => {
      const repo = h.repository();
      const session = repo.createSession();
      for (const [i, name] of HOSTILE_NAMES.entries()) session.set(name, { i, name });
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      expect(new Set(loaded.names())).toEqual(new Set(HOSTILE_NAMES));
      for (const [i, name] of HOSTILE_NAMES.entries()) expect(loaded.get(name)).toEqual({ i, name });
      expect(({} as Record<string, unknown>).i).toBeUndefined(); // nothing leaked into Object.prototype
      loaded.remove('__proto__').remove('then');
      await repo.save(loaded);
      const again = (await repo.findById(session.id))!;
      expect(again.has('__proto__')).toBe(false);
      expect(again.has('constructor')).toBe(true);
    });

    it('round-trips unicode values and the codec types (Date, Map, Set, BigInt, nested)', async () => {
      const repo = h.repository();
      const value = {
        text: 'héllo 世界 🍪 \u2028 "q" \\',
        date: new Date('2024-02-29T12:34:56.789Z'),
        map: new Map<unknown, unknown>([
          ['k', 1],
          [2, new Set(['x'])],
        ]),
        big: 12345678901234567890n,
        nested: [{ deep: [null, true, -0.5] }],
        own$sess: { $sess: 'user data that looks like a tag' },
      };
      const session = repo.createSession().set('v', value);
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.get('v')).toEqual(value);
    });

    it('stores and loads a 1 MB value', async () => {
      const repo = h.repository();
      const big = 'x'.repeat(1024 * 1024);
      const session = repo.createSession().set('big', big).set('small', 1);
      await repo.save(session);
      const loaded = (await repo.findById(session.id))!;
      expect((loaded.get('big') as string).length).toBe(big.length);
      loaded.set('small', 2);
      await repo.save(loaded);
      expect((await repo.findById(session.id))!.get('small')).toBe(2);
    });

    it('an attribute the codec cannot decode makes the session missing, reported and removed', async () => {
      const reports: unknown[] = [];
      const repo = h.repository({ onDecodeError: (r) => reports.push(r) });
      const now = h.clock.now();
      const id = repo.idGenerator.generate();
      await h.store.save({
        id,
        kind: 'create',
        now,
        createdAt: now,
        lastAccessedAt: now,
        maxInactiveMs: 60_000,
        absoluteExpiresAt: null,
        expiresAt: now + 60_000,
        principal: null,
        set: new Map([
          ['ok', '1'],
          ['broken', '{not json'],
        ]),
        removed: [],
      });
      expect(await repo.findById(id)).toBeNull();
      expect(reports).toHaveLength(1);
      expect(JSON.stringify(reports[0])).not.toContain(id);
      expect(await h.store.load(id)).toBeNull();
    });

    it('corrupt backend data is a missing session, never a crash', async () => {
      if (!kit.corrupt) return;
      const reports: unknown[] = [];
      const repo = h.repository({ onDecodeError: (r) => reports.push(r) });
      const session = repo.createSession().set('a', 1);
      session.principal = 'corrupted';
      await repo.save(session);
      await kit.corrupt(session.id, h.store);
      expect(await repo.findById(session.id)).toBeNull();
      expect(reports.length).toBeGreaterThanOrEqual(1);
      const fresh = repo.createSession().set('b', 2);
      await repo.save(fresh);
      expect((await repo.findById(fresh.id))?.get('b')).toBe(2);
    });
  });
}
