import type { Clock } from '../clock.js';
import { SessionConfigError } from '../errors.js';

/**
 * Option checks every store runs at construction, so a bad option fails at startup with
 * SessionConfigError and a message naming the store and the option, never a bare RangeError later.
 */
export class StoreOptionReader {
  readonly #store: string;

  constructor(store: string) {
    this.#store = store;
  }

  #fail(option: string, rule: string): never {
    throw new SessionConfigError(`${this.#store} store: ${option} ${rule}`);
  }

  /** A positive number of ms (Infinity allowed when `allowInfinity`), or `fallback` when undefined. */
  positiveMs(option: string, value: number | undefined, fallback: number, allowInfinity = false): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
      this.#fail(option, `must be a positive number of ms (got ${String(value)})`);
    }
    if (!allowInfinity && !Number.isFinite(value)) this.#fail(option, 'must be finite');
    return value;
  }

  /** A finite number of ms of at least `min`, or `fallback` when undefined. */
  msAtLeast(option: string, value: number | undefined, min: number, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      this.#fail(option, `must be a number of ms of at least ${min} (got ${String(value)})`);
    }
    return value;
  }

  /** A positive integer, or `fallback` when undefined. */
  positiveInteger(option: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value <= 0) {
      this.#fail(option, `must be a positive integer (got ${String(value)})`);
    }
    return value;
  }

  /** A non-empty string, or `fallback` when undefined. */
  nonEmptyString(option: string, value: string | undefined, fallback: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.length === 0) this.#fail(option, 'must be a non-empty string');
    return value;
  }

  /** A function, or `fallback` when undefined. */
  callback<F extends (...args: never[]) => unknown>(option: string, value: F | undefined, fallback: F): F {
    if (value === undefined) return fallback;
    if (typeof value !== 'function') this.#fail(option, 'must be a function');
    return value;
  }

  /** A Clock (an object with now()), or `fallback` when undefined. */
  clock(value: Clock | undefined, fallback: Clock): Clock {
    if (value === undefined) return fallback;
    if (typeof value?.now !== 'function') this.#fail('clock', 'must be an object with a now() method');
    return value;
  }

  /** Something the caller must pass (a client, a pool). */
  required<T>(option: string, value: T | undefined | null): T {
    if (value === undefined || value === null) this.#fail(option, 'is required');
    return value;
  }
}

/** The default `operationTimeoutMs` of every built-in store: fail fast rather than queue requests. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 2000;

/** Where a store's background work failed, for `onBackgroundError(error, source)`. */
export type BackgroundErrorHandler<Source extends string> = (error: unknown, source: Source) => void;

/** The default background error handler: one console line with the store and the source. */
export function logBackgroundError(store: string): BackgroundErrorHandler<string> {
  return (error, source) => console.error(`[@sess/${store}] ${source} failed:`, error);
}
