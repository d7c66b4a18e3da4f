import { withDeadline as coreDeadline } from '@sess/core/store';

/**
 * Bounds work that is already under way (a pooled query, a batch waiting its turn) with core's
 * deadline: it settles within `ms` or rejects with StoreUnavailableError. Its own failure passes
 * through unchanged, for the caller to translate (a unique violation is a conflict, not an outage).
 * pg releases the pooled client when the abandoned work finally ends, so nothing leaks.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, operation = 'query'): Promise<T> {
  return coreDeadline(
    { store: 'postgres', operation, timeoutMs: ms, classify: (error) => error },
    () => work,
  );
}
