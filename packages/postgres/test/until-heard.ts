import { waitFor } from '@sess/testkit';

/**
 * LISTEN starts asynchronously after subscribe(): resolves true once an event `emit` causes has been
 * `heard`, retrying (a probe sent before LISTEN was in place is simply lost, as NOTIFY works).
 */
export async function untilHeard(
  emit: () => Promise<unknown>,
  heard: () => boolean,
  timeoutMs = 10_000,
): Promise<boolean> {
  return waitFor(
    async () => {
      await emit().catch(() => undefined);
      return waitFor(heard, 250);
    },
    timeoutMs,
    0,
  );
}
