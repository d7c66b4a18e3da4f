import { isSessionError } from '@sess/core';
import { translateStoreError } from '@sess/core/store';

/** SQLSTATE of a PostgreSQL error, when `error` is one. */
export function sqlState(error: unknown): string | undefined {
  // Node's socket errors have codes too (EPIPE): only server errors carry a severity.
  const fields = error as { code?: unknown; severity?: unknown } | null;
  return typeof fields?.code === 'string' && typeof fields.severity === 'string' ? fields.code : undefined;
}

export const UNIQUE_VIOLATION = '23505';

/**
 * The server refused the statement for what it contained (bad data, a constraint, a trigger, a limit
 * such as the index row size), not because it is unreachable, overloaded, shutting down or missing
 * the table: running each session of a shared statement alone then isolates the one at fault.
 */
export function isStatementDataError(error: unknown): boolean {
  // The store's own calls wrap the server's error (toStoreError): look at what the server said.
  const state = sqlState(isSessionError(error) ? error.cause : error);
  return state !== undefined && !/^(08|40|42|53|55|57|58|3D|3F|F0|XX)/.test(state);
}

/**
 * Every failure of a database call becomes a typed @sess error with the original as `cause`: the
 * application's error handler sees one code (STORE_UNAVAILABLE) whether the server is down, slow,
 * restarting or refusing the statement, and the message says what to do about it.
 */
export function toStoreError(error: unknown, operation: string): Error {
  return translateStoreError('postgres', operation, error, { advice });
}

/** What to do about a failure, from what the server (or the socket) said. */
function advice(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const state = sqlState(error);
  if (/timeout/i.test(message)) {
    return 'The database is slow or unreachable; raise operationTimeoutMs if this is expected load';
  }
  if (state === '42P01' || state === '3F000') {
    return `(${state}) The sessions table is missing: run store.migrate() or apply schemaSql() by hand`;
  }
  if (state === '42703' || state === '42883') {
    return `(${state}) The sessions table has an older shape: run store.migrate()`;
  }
  if (state === undefined || state.startsWith('08') || state.startsWith('57P') || state.startsWith('53')) {
    return `${state ? `(${state}) ` : ''}The database is unreachable or restarting; the store recovers by itself when it is back`;
  }
  return `(${state})`;
}
