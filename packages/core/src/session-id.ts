import { toBase64url } from './encoding/base64url.js';
import { SessionConfigError } from './errors.js';

/**
 * Session ids: random bytes from globalThis.crypto, base64url-encoded. The generator also validates,
 * so an id of the wrong shape never reaches a store (no injection into keys, no wasted round trip).
 */
export interface SessionIdGenerator {
  generate(): string;
  /** True when `id` has the shape this generator produces. Called on every incoming id. */
  isValid(id: string): boolean;
}

export interface RandomIdOptions {
  /** Random bytes per id. Minimum 16 (128 bits); default 32 (256 bits). */
  bytes?: number;
}

/** The default generator: `bytes` random bytes as unpadded base64url (43 characters for 32 bytes). */
export function randomIdGenerator(options: RandomIdOptions = {}): SessionIdGenerator {
  const bytes = options.bytes ?? 32;
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 512) {
    throw new SessionConfigError('randomIdGenerator: bytes must be an integer between 16 and 512');
  }
  const length = Math.ceil((bytes * 4) / 3);
  const shape = new RegExp(`^[A-Za-z0-9_-]{${length}}$`);
  return {
    generate() {
      return toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
    },
    isValid(id) {
      return id.length === length && shape.test(id);
    },
  };
}

/** A form of an id that is safe for logs and UIs: enough to tell sessions apart, useless to an attacker. */
export function maskSessionId(id: string): string {
  return id.length <= 8 ? '********' : `${id.slice(0, 4)}…${id.slice(-2)}`;
}
