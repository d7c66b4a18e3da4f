import type { SessionStore } from '@sess/core';

const METHODS = [
  'load',
  'save',
  'delete',
  'findByPrincipal',
  'touch',
  'changeId',
  'subscribe',
  'cleanupExpired',
  'close',
] as const;
type Method = (typeof METHODS)[number];

export interface InstrumentedStore {
  /** Behaves exactly like the wrapped store, counting calls per method. */
  readonly store: SessionStore;
  readonly calls: Record<Method, number>;
  /** Calls that write: save, touch, delete, changeId. */
  writes(): number;
  reset(): void;
  /** Makes every following call of every method reject with `error` until called with null. */
  failWith(error: Error | null): void;
  /** Makes every following call wait `ms` (a timer) before reaching the store, as over a network; 0 stops. */
  delay(ms: number): void;
}

/**
 * Wraps a store to count its calls or make it fail, without touching the original. Methods stay
 * bound to the original, so stores with private fields keep working.
 */
export function instrumentStore(inner: SessionStore): InstrumentedStore {
  const calls = Object.fromEntries(METHODS.map((m) => [m, 0])) as Record<Method, number>;
  let failure: Error | null = null;
  let latencyMs = 0;
  const wrapped: Record<string, unknown> = { name: inner.name };
  for (const method of METHODS) {
    const fn = inner[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') continue;
    wrapped[method] = (...args: unknown[]) => {
      calls[method]++;
      if (failure && method !== 'subscribe' && method !== 'close') return Promise.reject(failure);
      if (latencyMs > 0 && method !== 'subscribe' && method !== 'close') {
        return new Promise((resolve) => setTimeout(resolve, latencyMs)).then(() => fn.apply(inner, args));
      }
      return fn.apply(inner, args);
    };
  }
  return {
    store: wrapped as unknown as SessionStore,
    calls,
    writes: () => calls.save + calls.touch + calls.delete + calls.changeId,
    reset() {
      for (const method of METHODS) calls[method] = 0;
    },
    failWith(error) {
      failure = error;
    },
    delay(ms) {
      latencyMs = ms;
    },
  };
}
