import type { CookieOptions } from '@sess/core';

/**
 * The cookie every benchmark server uses, ours and the anchors alike, as a user sets one up from the
 * docs: signed with a secret, persistent for one day, re-sent whenever the session is saved. On our
 * side the day is the session's idle timeout (`SESS_IDLE_TIMEOUT`, given to every repository) and the
 * cookie is `persistent`, so its Max-Age is the session's remaining lifetime (@sess's `rolling`
 * default for persistent cookies; the anchors re-send a persistent cookie whenever they save a changed
 * session). SIGNED=0 leaves the signature out (ours only: the A/B row that shows what signing costs).
 */
export const SECRET = 'benchmark-secret-benchmark-secret-benchmark';
export const ONE_DAY_MS = 86_400_000;

/** Our repositories' idle timeout: the one-day lifetime the anchors give their cookie. */
export const SESS_IDLE_TIMEOUT = { idleTimeoutMs: ONE_DAY_MS } as const;

export function sessCookie(): CookieOptions {
  return {
    name: 'sid',
    persistent: true,
    ...(process.env.SIGNED === '0' ? {} : { secrets: [SECRET] }),
  };
}
