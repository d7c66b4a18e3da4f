import {
  isSessionError,
  SessionConflictError,
  SessionDecodeError,
  StoreUnavailableError,
} from '../errors.js';

export interface ErrorKinds {
  /** True when the backend says the stored data is not readable as a session (wrong type, bad document). */
  readonly isDecode?: (error: unknown) => boolean;
  /** True when the backend refused a write because the id is taken (unique violation). */
  readonly isConflict?: (error: unknown) => boolean;
  /** Advice appended to an outage message (what to check, which option to raise). */
  readonly advice?: (error: unknown) => string | undefined;
}

/**
 * Maps whatever a backend client threw to @sess' typed errors, so the application sees one family
 * whatever the store: SessionDecodeError for unreadable data, SessionConflictError for a taken id,
 * StoreUnavailableError for everything else (down, slow, refused). @sess errors pass through unchanged;
 * the original is always the `cause`.
 */
export function translateStoreError(
  store: string,
  operation: string,
  error: unknown,
  kinds: ErrorKinds = {},
): Error {
  if (isSessionError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (kinds.isDecode?.(error)) {
    return new SessionDecodeError(`${store} ${operation}: stored data is unreadable (${message})`, {
      cause: error,
    });
  }
  if (kinds.isConflict?.(error)) {
    return new SessionConflictError(`${store} ${operation}: the session id is already taken`, {
      cause: error,
    });
  }
  const advice = kinds.advice?.(error);
  return new StoreUnavailableError(`${store} ${operation} failed: ${message}${advice ? `. ${advice}` : ''}`, {
    cause: error,
  });
}
