/** How a compare-and-set loop waits between attempts. */
export interface RetryBackoff {
  /** Attempts before giving up (the first one included). */
  readonly maxAttempts: number;
  /** Upper bound of the first wait, in ms; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * "Full jitter" exponential backoff: a random wait in [0, min(max, base * 2^attempt)). Writers that
 * lost the same race pick different waits, so they stop colliding instead of retrying in lockstep.
 */
export function backoffDelay(backoff: RetryBackoff, attempt: number): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** attempt);
  return Math.random() * ceiling;
}

/** Not unref'd: a save waiting to retry is work in progress and should keep a script alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
