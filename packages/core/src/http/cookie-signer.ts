import { toBase64url } from '../encoding/base64url.js';
import { type CookieHmac, registeredCookieHmac } from './cookie-hmac.js';

/**
 * HMAC-SHA-256 cookie signatures. Value format: `<id>.<signature>`, signature in base64url.
 * Verification tries every secret, in constant time per comparison; the first secret signs.
 *
 * The MAC of a value under a secret never changes, so a signer remembers the MACs of the values it
 * signed or verified (a bounded map: the same client sends the same cookie on every request), and
 * computes them synchronously when a synchronous HMAC is registered (see `useCookieHmac`), with Web
 * Crypto otherwise. Remembering changes how often a MAC is computed, never what is accepted: a value
 * passes only when its signature equals, compared in constant time, the MAC of one of this signer's
 * secrets, and only values that passed (or that it signed itself) are remembered.
 */
export interface CookieSigner {
  /** `<value>.<signature>`; synchronous when the signature is known or an HMAC is registered. */
  sign(value: string): string | Promise<string>;
  /** The unsigned value, or undefined when no secret produced the signature. */
  unsign(signed: string): string | undefined | Promise<string | undefined>;
}

export interface CookieSignerOptions {
  /** The HMAC to use instead of the registered one (or Web Crypto). */
  hmac?: CookieHmac;
  /** How many values' MACs to remember (oldest forgotten first). Default 4096; 0 remembers none. */
  remember?: number;
}

const encoder = new TextEncoder();

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function createCookieSigner(
  secrets: readonly string[],
  options: CookieSignerOptions = {},
): CookieSigner {
  const limit = options.remember ?? 4096;
  /** value -> its MAC under each secret, by secret index (absent: not computed). */
  const known = new Map<string, (string | undefined)[]>();
  let syncMacs: ((value: string) => string)[] | undefined;
  let webKeys: Promise<CryptoKey>[] | undefined;

  const sync = (): ((value: string) => string)[] | undefined => {
    if (syncMacs) return syncMacs;
    const hmac = options.hmac ?? registeredCookieHmac();
    if (hmac) syncMacs = secrets.map((secret) => hmac(secret));
    return syncMacs;
  };
  const webMac = async (index: number, value: string): Promise<string> => {
    webKeys ??= secrets.map((secret) =>
      globalThis.crypto.subtle.importKey(
        'raw',
        encoder.encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      ),
    );
    return toBase64url(
      new Uint8Array(
        await globalThis.crypto.subtle.sign('HMAC', await webKeys[index]!, encoder.encode(value)),
      ),
    );
  };
  const remember = (value: string, index: number, mac: string): void => {
    if (limit === 0) return;
    let macs = known.get(value);
    if (!macs) {
      if (known.size >= limit) known.delete(known.keys().next().value!);
      macs = [];
      known.set(value, macs);
    }
    macs[index] = mac;
  };

  return {
    sign(value) {
      const mac = known.get(value)?.[0];
      if (mac !== undefined) return `${value}.${mac}`;
      const macs = sync();
      if (macs) {
        const computed = macs[0]!(value);
        remember(value, 0, computed);
        return `${value}.${computed}`;
      }
      return webMac(0, value).then((computed) => {
        remember(value, 0, computed);
        return `${value}.${computed}`;
      });
    },
    unsign(signed) {
      const dot = signed.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const value = signed.slice(0, dot);
      const signature = signed.slice(dot + 1);
      const remembered = known.get(value);
      const macs = sync();
      if (remembered || macs) {
        // Every secret in order, as without memory; a MAC not yet known is computed (when it can be
        // synchronously) and remembered only if it verifies.
        for (let index = 0; index < secrets.length; index++) {
          let mac = remembered?.[index];
          const fresh = mac === undefined;
          if (fresh) {
            if (!macs) return verifyAsync(index);
            mac = macs[index]!(value);
          }
          if (constantTimeEqual(mac!, signature)) {
            if (fresh) remember(value, index, mac!);
            return value;
          }
        }
        return undefined;
      }
      return verifyAsync(0);

      async function verifyAsync(from: number): Promise<string | undefined> {
        for (let index = from; index < secrets.length; index++) {
          const mac = remembered?.[index] ?? (await webMac(index, value));
          if (constantTimeEqual(mac, signature)) {
            remember(value, index, mac);
            return value;
          }
        }
        return undefined;
      }
    },
  };
}
