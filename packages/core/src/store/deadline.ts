import { StoreUnavailableError } from '../errors.js';
import { translateStoreError } from './store-errors.js';

export interface DeadlineOptions {
  /** The store's name for messages, e.g. "redis". */
  readonly store: string;
  /** What is being done, for messages, e.g. "load" or "save". */
  readonly operation: string;
  /** The store's `operationTimeoutMs`. Infinity or 0 disables the deadline. */
  readonly timeoutMs: number;
  /** Maps a failure of `work` to a typed error. Default: translateStoreError. */
  readonly classify?: (error: unknown) => unknown;
}

/**
 * Runs one backend call with a deadline: it settles within `timeoutMs` or rejects with
 * StoreUnavailableError, and any failure becomes a typed @sess error (with the original as `cause`).
 * A synchronous throw of `work` is a failure like any other. The call itself cannot be cancelled: a
 * write that timed out may still be applied later, and its late failure is absorbed here.
 */
export function withDeadline<T>(options: DeadlineOptions, work: () => PromiseLike<T>): Promise<T> {
  const { store, operation, timeoutMs } = options;
  const classify = options.classify ?? ((error: unknown) => translateStoreError(store, operation, error));
  return new Promise<T>((resolve, reject) => {
    const bounded = timeoutMs > 0 && timeoutMs !== Number.POSITIVE_INFINITY;
    const timer = bounded
      ? setTimeout(() => {
          reject(
            new StoreUnavailableError(
              `${store} ${operation} did not complete within ${timeoutMs} ms (operationTimeoutMs): ` +
                'the backend is down, unreachable or overloaded',
              { cause: new Error(`no answer within ${timeoutMs} ms`) },
            ),
          );
        }, timeoutMs)
      : undefined;
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(classify(error));
    };
    let pending: PromiseLike<T>;
    try {
      pending = work();
    } catch (error) {
      fail(error);
      return;
    }
    pending.then((value) => {
      clearTimeout(timer);
      resolve(value);
    }, fail);
  });
}
