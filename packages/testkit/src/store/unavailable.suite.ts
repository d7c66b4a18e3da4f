import { type SessionStore, systemClock } from '@sess/core';
import { describe, expect } from 'vitest';
import { itWithHook } from './applicability.js';
import { RULE, rejectionOf, writeFor } from './contract-rules.js';
import { useManualHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

/** Longest a call to an unreachable backend may take to fail; the store's own deadline must be shorter. */
const SETTLE_MS = 10_000;

/** How `operation` ended: its rejection's code, 'resolved', or a note that it never answered. */
async function settled(operation: Promise<unknown>): Promise<{ code: unknown; error: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<{ code: string; error: undefined }>((resolve) => {
    timer = setTimeout(
      () => resolve({ code: `no answer within ${SETTLE_MS} ms`, error: undefined }),
      SETTLE_MS,
    );
  });
  try {
    return await Promise.race([rejectionOf(operation), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * With the author's `createUnavailable` hook: every operation on a store whose backend cannot be
 * reached fails fast with StoreUnavailableError, the one error an application's handler maps to 503.
 */
export function unavailableSuite(kit: ResolvedStoreConformance): void {
  describe('backend unavailable', () => {
    const h = useManualHarness(kit);
    const check = itWithHook(kit.createUnavailable, 'createUnavailable(store)');

    check(
      'every operation rejects with StoreUnavailableError, never a raw driver error or a hang',
      async () => {
        const down = await kit.createUnavailable!(h.store, { clock: systemClock });
        try {
          const repo = h.repository({ store: down });
          const id = repo.idGenerator.generate();
          const now = h.clock.now();
          const operations: [string, () => Promise<unknown>][] = [
            ['load', () => down.load(id)],
            ["save({ kind: 'create' })", () => down.save(writeFor(id, 'create', now))],
            [
              "save({ kind: 'update' })",
              () => down.save(writeFor(id, 'update', now, { set: new Map([['a', '1']]) })),
            ],
            ['delete', () => down.delete(id)],
            ['repository.findById', () => repo.findById(id)],
            ['repository.save', () => repo.save(repo.createSession().set('a', 1))],
          ];
          const optional: [keyof SessionStore, () => Promise<unknown>][] = [
            ['touch', () => down.touch!({ id, now, lastAccessedAt: now, expiresAt: now + 60_000 })],
            ['changeId', () => down.changeId!(id, repo.idGenerator.generate(), now)],
            ['findByPrincipal', () => down.findByPrincipal!('someone')],
            ['cleanupExpired', () => down.cleanupExpired!(now)],
          ];
          for (const [method, call] of optional)
            if (typeof down[method] === 'function') operations.push([method, call]);
          for (const [name, call] of operations) {
            const outcome = await settled(call());
            const seen =
              outcome.error instanceof Error ? ` (got ${outcome.error.name}: ${outcome.error.message})` : '';
            expect(outcome.code, `${name}: ${RULE.unavailable}${seen}`).toBe('STORE_UNAVAILABLE');
          }
        } finally {
          await down.close?.();
        }
      },
      SETTLE_MS * 12,
    );
  });
}
