import type { CookieOptions } from '@sess/core';

/**
 * The cookie every benchmark server uses, ours and the anchors alike, as a user sets one up from the
 * docs: signed with a secret, persistent for one day, re-sent whenever the session is saved (@sess's
 * `rolling` default with `maxAgeMs`; the anchors re-send a persistent cookie whenever they save a
 * changed session). SIGNED=0 leaves the signature out (ours only: the A/B row that shows what signing
 * costs).
 */
export const SECRET = 'benchmark-secret-benchmark-secret-benchmark';
export const ONE_DAY_MS = 86_400_000;

export function sessCookie(): CookieOptions {
  return {
    name: 'sid',
    maxAgeMs: ONE_DAY_MS,
    ...(process.env.SIGNED === '0' ? {} : { secrets: [SECRET] }),
  };
}
