import { SessionEncodeError } from '@sess/core';

/**
 * The session would seal into a cookie larger than browsers keep (about 4 KB for the whole
 * Set-Cookie line). Thrown by the save, before any header goes out, so the request fails visibly
 * instead of the browser silently dropping the cookie. Keep less in the session, or use a server store.
 */
export class CookieTooLargeError extends SessionEncodeError {
  /** Bytes the Set-Cookie line would take. */
  readonly size: number;
  /** The configured limit (`maxCookieBytes`). */
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(
      `The session seals into a ${size}-byte Set-Cookie, over the ${limit}-byte limit browsers keep; ` +
        'store less in the session (ids, not records) or use a server-side store',
    );
    this.size = size;
    this.limit = limit;
  }
}
