import { SessionConfigError } from '@sess/core';
import { fromBase64url, toBase64url } from '@sess/core/store';

/**
 * AES-256-GCM through Web Crypto (globalThis.crypto.subtle), so it runs on every runtime the fetch
 * adapter targets. One key per secret, derived with HKDF-SHA-256: the first seals, all of them open,
 * so secrets rotate by prepending a new one. A token is base64url(version | 96-bit nonce | ciphertext
 * and 128-bit tag); the cookie's name is authenticated with it (additional data), so a token cannot
 * be moved to another cookie.
 */
export interface Sealer {
  seal(plaintext: string): Promise<string>;
  /** The plaintext, or undefined when no key opens the token (tampered, truncated, unknown key). */
  open(token: string): Promise<string | undefined>;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_LENGTH = 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const HKDF_SALT = encoder.encode('@sess/cookie v1');
const HKDF_INFO = encoder.encode('aes-256-gcm session seal');

export function createSealer(secrets: readonly string[], context: string): Sealer {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new SessionConfigError('cookieSessions: secrets must be a non-empty list (the first one seals)');
  }
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new SessionConfigError(
        `cookieSessions: every secret must be a string of at least ${MIN_SECRET_LENGTH} characters (random, e.g. 32 bytes base64url)`,
      );
    }
  }
  const additionalData = encoder.encode(context);
  const keys = secrets.map((secret) => deriveKey(secret));
  // A rejected derivation (no Web Crypto) surfaces on first use; keep it from being an unhandled rejection meanwhile.
  for (const key of keys) key.catch(() => undefined);
  return {
    async seal(plaintext) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const sealed = new Uint8Array(
        await globalThis.crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData },
          await keys[0]!,
          encoder.encode(plaintext),
        ),
      );
      const out = new Uint8Array(1 + NONCE_BYTES + sealed.length);
      out[0] = VERSION;
      out.set(iv, 1);
      out.set(sealed, 1 + NONCE_BYTES);
      return toBase64url(out);
    },
    async open(token) {
      const bytes = fromBase64url(token);
      if (bytes === undefined || bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
        return undefined;
      }
      const iv = bytes.subarray(1, 1 + NONCE_BYTES);
      const sealed = bytes.subarray(1 + NONCE_BYTES);
      for (const key of keys) {
        try {
          const plain = await globalThis.crypto.subtle.decrypt(
            { name: 'AES-GCM', iv, additionalData },
            await key,
            sealed,
          );
          return decoder.decode(plain);
        } catch {
          // Wrong key or tampered: try the next key; none left means the token is refused.
        }
      }
      return undefined;
    },
  };
}

async function deriveKey(secret: string): Promise<CryptoKey> {
  const material = await globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, [
    'deriveKey',
  ]);
  return globalThis.crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
