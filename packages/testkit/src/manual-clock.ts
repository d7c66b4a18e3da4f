import type { Clock } from '@sess/core';

/** A clock that moves only when told to: expiry tests without sleeping. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** Starts at the real current time, so stores with native TTLs get plausible absolute times. */
export function createManualClock(start: number = Date.now()): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(epochMs) {
      now = epochMs;
    },
  };
}
