import { QueryDeadlineError } from './database-errors.js';

/**
 * Rejects with QueryDeadlineError when `work` has not settled within `ms`. The work itself goes on (a
 * promise cannot be cancelled); its late failure is absorbed here so it never becomes an unhandled
 * rejection. pg releases the pooled client when that work finally ends, so nothing leaks.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  if (!(ms > 0) || ms === Number.POSITIVE_INFINITY) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new QueryDeadlineError(ms)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
