/**
 * HMAC-SHA-256 cookie signatures with WebCrypto (runtime-neutral). Value format: `<id>.<signature>`,
 * signature in base64url. Verification tries every secret, in constant time per comparison.
 */
export interface CookieSigner {
  sign(value: string): Promise<string>;
  /** The unsigned value, or undefined when no secret produced the signature. */
  unsign(signed: string): Promise<string | undefined>;
}

const encoder = new TextEncoder();

function toBase64url(buffer: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function createCookieSigner(secrets: readonly string[]): CookieSigner {
  const keys = secrets.map((secret) =>
    globalThis.crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    ),
  );
  const mac = async (key: Promise<CryptoKey>, value: string) =>
    toBase64url(await globalThis.crypto.subtle.sign('HMAC', await key, encoder.encode(value)));
  return {
    async sign(value) {
      return `${value}.${await mac(keys[0]!, value)}`;
    },
    async unsign(signed) {
      const dot = signed.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const value = signed.slice(0, dot);
      const signature = signed.slice(dot + 1);
      for (const key of keys) {
        if (constantTimeEqual(await mac(key, value), signature)) return value;
      }
      return undefined;
    },
  };
}
