import { storeCapabilities } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

export function scaleSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe(`scale: ${kit.scale} sessions`, () => {
    const h = useManualHarness(kit);

    it(`creates ${kit.scale} sessions over 100 principals, finds them, and deletes them`, {
      timeout: 180_000,
    }, async () => {
      const repo = h.repository();
      const tag = Math.random().toString(36).slice(2);
      const sessions = Array.from({ length: kit.scale }, (_, i) => {
        const s = repo.createSession().set('i', i);
        s.principal = `scale-${tag}-${i % 100}`;
        return s;
      });
      await inBatches(sessions, 200, (s) => repo.save(s));
      const ids = new Set(sessions.map((s) => s.id));
      expect(ids.size).toBe(kit.scale); // no two sessions share an id
      for (let i = 0; i < 100; i++) {
        const s = sessions[Math.floor((i * sessions.length) / 100)]!;
        expect((await repo.findById(s.id))?.get('i')).toBe(sessions.indexOf(s));
      }
      if (storeCapabilities(h.store).findByPrincipal) {
        const found = await repo.findByPrincipal(`scale-${tag}-7`);
        expect(found.size).toBe(Math.ceil((kit.scale - 7) / 100));
      }
      await inBatches(sessions, 200, (s) => repo.deleteById(s.id));
      expect(await repo.findById(sessions[0]!.id)).toBeNull();
    });
  });
}
