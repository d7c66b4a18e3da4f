import { it, type TestContext, type TestOptions } from 'vitest';

type CheckFn = (context: TestContext) => unknown;

/** How the kits register a check: vitest's `it`, in the two forms the suites use. */
export interface KitCheck {
  (name: string, fn: CheckFn, timeout?: number): void;
  (name: string, options: TestOptions, fn: CheckFn): void;
}

/**
 * The kits' `it`: a check the kit's user declared not applicable (`notApplicable`, by its exact
 * title) is registered as skipped, with the reason in its name, so it shows in the report instead of
 * silently passing or failing.
 */
export function kitCheck(kit: {
  readonly notApplicable?: Readonly<Record<string, string>> | undefined;
}): KitCheck {
  const register = (name: string, second: CheckFn | TestOptions, third?: CheckFn | number): void => {
    const reason = kit.notApplicable?.[name];
    const title = reason === undefined ? name : `${name} [not applicable: ${reason}]`;
    const test = reason === undefined ? it : it.skip;
    if (typeof second === 'function') test(title, second, typeof third === 'number' ? third : undefined);
    else test(title, second, third as CheckFn);
  };
  return register as KitCheck;
}
