import { type SessionStore, type StoreCapabilities, storeCapabilities } from '@sess/core';
import { it, type TestContext } from 'vitest';

/**
 * How a check that does not apply is reported: skipped, with its reason, never passed without
 * checking. Capabilities are only known once the suite's store exists, so those checks skip at run
 * time (vitest shows the reason beside the skipped test); hooks the author did not supply are known
 * when the suite is collected, so those checks are registered as skipped with the reason in the name.
 */

const METHOD: Record<keyof StoreCapabilities, string> = {
  findByPrincipal: 'findByPrincipal',
  touch: 'touch',
  changeId: 'changeId',
  events: 'subscribe',
  gaps: 'subscribeGaps',
  cleanup: 'cleanupExpired',
};

/** Skips the running check, saying why, unless the store has `capability` (its optional method). */
export function requireCapability(
  context: TestContext,
  store: SessionStore,
  capability: keyof StoreCapabilities,
): void {
  if (!storeCapabilities(store)[capability])
    context.skip(`not applicable: the store has no ${METHOD[capability]}() (capability "${capability}")`);
}

/** Skips the running check, saying why, when the store has `capability` (checks of its absence). */
export function requireNoCapability(
  context: TestContext,
  store: SessionStore,
  capability: keyof StoreCapabilities,
): void {
  if (storeCapabilities(store)[capability])
    context.skip(`not applicable: the store has ${METHOD[capability]}() (capability "${capability}")`);
}

type Check = (name: string, fn: (context: TestContext) => Promise<void>, timeout?: number) => void;

/** `it` when `hook` was supplied; otherwise the check is registered as skipped, saying what is missing. */
export function itWithHook(hook: unknown, hookName: string): Check {
  if (hook !== undefined) return (name, fn, timeout) => it(name, fn, timeout);
  return (name, fn, timeout) => it.skip(`${name} [skipped: no ${hookName} hook given]`, fn, timeout);
}
