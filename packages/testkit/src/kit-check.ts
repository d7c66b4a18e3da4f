import { it } from 'vitest';

/**
 * The kits' `it`: a check the kit's user declared not applicable (`notApplicable`, by its exact
 * title) is registered as skipped, with the reason in its name, so it shows in the report instead of
 * silently passing or failing.
 */
export function kitCheck(kit: { readonly notApplicable?: Readonly<Record<string, string>> | undefined }) {
  const register = it as unknown as (title: string, ...rest: unknown[]) => void;
  const skip = it.skip as unknown as (title: string, ...rest: unknown[]) => void;
  return (title: string, ...rest: unknown[]): void => {
    const reason = kit.notApplicable?.[title];
    if (reason === undefined) register(title, ...rest);
    else skip(`${title} [not applicable: ${reason}]`, ...rest);
  };
}
