import {
  type Clock,
  createSessionRepository,
  type SessionRepository,
  type SessionRepositoryOptions,
  type SessionStore,
  systemClock,
} from '@sess/core';
import { afterAll, beforeAll } from 'vitest';
import { createManualClock, type ManualClock } from '../manual-clock.js';
import type { ResolvedStoreConformance } from './options.js';

export interface Harness<C extends Clock> {
  readonly clock: C;
  readonly store: SessionStore;
  repository(options?: Partial<SessionRepositoryOptions>): SessionRepository;
}

/**
 * Creates the suite's store before its tests and closes it (and every repository made from it)
 * afterwards. Use inside a describe().
 */
function useHarness<C extends Clock>(kit: ResolvedStoreConformance, clock: C): Harness<C> {
  let store: SessionStore | undefined;
  beforeAll(async () => {
    // A manual clock starts at the real time when its suite starts (not when the file was collected),
    // so stores handing absolute times to a server-side TTL see plausible values.
    (clock as Partial<ManualClock>).set?.(Date.now());
    store = await kit.createStore({ clock });
  });
  afterAll(async () => {
    await store?.close?.();
  });
  return {
    clock,
    get store() {
      if (!store) throw new Error('store not created yet (use it inside a test)');
      return store;
    },
    // Tests never close these repositories (that would close the shared store): the harness closes
    // the store once, and tests remove their own event listeners.
    repository(options = {}) {
      return createSessionRepository({
        store: this.store,
        clock,
        onDecodeError: () => undefined,
        ...options,
      });
    },
  };
}

export function useManualHarness(kit: ResolvedStoreConformance): Harness<ManualClock> {
  return useHarness(kit, createManualClock());
}

export function useRealHarness(kit: ResolvedStoreConformance): Harness<Clock> {
  return useHarness(kit, systemClock);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
