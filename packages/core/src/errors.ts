/**
 * One error family for every @sess package. `code` is stable and meant for programs; `message` is for
 * people. The brand is a global Symbol so errors are recognised even when two copies of @sess/core
 * are installed (instanceof alone would fail across copies).
 */
const BRAND = Symbol.for('@sess/core/SessionError');

export type SessionErrorCode =
  | 'STORE_UNAVAILABLE'
  | 'DECODE'
  | 'ENCODE'
  | 'CONFLICT'
  | 'UNSUPPORTED'
  | 'CONFIG'
  | 'CREATION_FORBIDDEN'
  | 'INVALID_DATA';

export class SessionError extends Error {
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep ordinary prototype checks; the base class also accepts any branded error.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being checked against.
    if (this !== SessionError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isSessionError(value);
  }
}

/** True for any @sess error, from any installed copy of @sess/core. */
export function isSessionError(value: unknown): value is SessionError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** The backend cannot be reached, timed out or refused the operation. Retrying later may succeed. */
export class StoreUnavailableError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** Stored data could not be decoded. Core treats the session as missing and reports it. */
export class SessionDecodeError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DECODE', message, options);
  }
}

/** An attribute value cannot be encoded by the configured codec. */
export class SessionEncodeError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENCODE', message, options);
  }
}

/** A create found the id already taken (create-if-absent failed). */
export class SessionConflictError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, options);
  }
}

/** The store does not implement an operation that has no honest fallback. */
export class UnsupportedCapabilityError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNSUPPORTED', message, options);
  }
}

/** Options are invalid. Thrown at construction time, never per request. */
export class SessionConfigError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
  }
}

/** A route forbade session creation and the handler tried to write to a new session. */
export class SessionCreationForbiddenError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CREATION_FORBIDDEN', message, options);
  }
}

/**
 * Session data breaks a rule every store relies on: a principal or attribute name that is not a
 * non-empty, well-formed string of at most 512 characters without U+0000 (thrown where it is set), or a
 * session over its size limits (thrown by save). Only this request's session is refused.
 */
export class SessionDataError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_DATA', message, options);
  }
}
