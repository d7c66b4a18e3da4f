/**
 * A synchronous HMAC-SHA-256, for runtimes that have one (Node's `node:crypto`). Given a secret it
 * returns the keyed function, which maps a value to its MAC in base64url without padding. It must give
 * exactly what Web Crypto gives for the same secret (UTF-8) and value (UTF-8): it only replaces how the
 * MAC is computed, never what it is.
 */
export type CookieHmac = (secret: string) => (value: string) => string;

let registered: CookieHmac | undefined;

/**
 * Makes cookie signers compute HMACs with `hmac` instead of Web Crypto (which is asynchronous, so every
 * signature not yet known costs a round trip through the event loop). Core stays runtime-neutral: the
 * Node adapters (@sess/express, @sess/fastify, @sess/koa) register `node:crypto`'s HMAC when they load;
 * the fetch adapter registers nothing and keeps Web Crypto. Pass undefined to go back to Web Crypto.
 */
export function useCookieHmac(hmac: CookieHmac | undefined): void {
  registered = hmac;
}

/** The registered synchronous HMAC, if any. Read when a signer first needs a MAC, not when it is made. */
export function registeredCookieHmac(): CookieHmac | undefined {
  return registered;
}
