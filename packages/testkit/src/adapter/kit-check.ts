import { it } from 'vitest';
import type { AdapterConformanceOptions } from './adapter-options.js';

/**
 * The kit's `it`: a check the kit's user declared not applicable (`notApplicable`, by its exact
 * title) is registered as skipped, with the reason in its name, so it shows in the report instead of
 * silently passing or failing.
 */
export function kitCheck(kit: AdapterConformanceOptions) {
  return (title: string, check: () => Promise<void>, timeoutMs?: number): void => {
    const reason = kit.notApplicable?.[title];
    if (reason === undefined) it(title, check, timeoutMs);
    else it.skip(`${title} [not applicable: ${reason}]`, check);
  };
}
