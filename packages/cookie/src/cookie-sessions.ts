import {
  type Clock,
  type CookieOptions,
  randomIdGenerator,
  resolveCookieOptions,
  SessionConfigError,
  type SessionIdGenerator,
  type SessionIdResolver,
  type SessionStore,
  systemClock,
  UnsupportedCapabilityError,
} from '@sess/core';
import { cookieSessionResolver, setCookieOverhead } from './cookie-session-resolver.js';
import { CookieSessionStore } from './cookie-session-store.js';
import { DenyList } from './deny-list.js';
import { createSealer } from './sealer.js';

export interface CookieSessionsOptions {
  /**
   * Secrets the sealing keys are derived from (HKDF-SHA-256), each at least 32 characters. The first
   * seals; all of them open, so rotate by prepending a new secret and dropping the oldest later.
   */
  secrets: readonly string[];
  /** The session cookie (name, path, domain, sameSite, secure, persistent...). No `secrets` here. */
  cookie?: Omit<CookieOptions, 'secrets'>;
  /**
   * Any @sess store (MemoryStore, RedisStore...) to keep refused session ids in. With it, logout,
   * login (id change) and `revokePrincipal` really end the cookies they concern; without it a copied
   * or logged-out cookie stays valid until it expires. Its own keys, hashed; it may be shared.
   */
  denyList?: SessionStore;
  /**
   * Longest Set-Cookie line (name, value and attributes) a save may produce; a bigger session fails
   * with CookieTooLargeError. Default 4096, the most browsers keep; at least 512.
   */
  maxCookieBytes?: number;
  /**
   * How long a `revokePrincipal` keeps refusing the principal's older cookies. Set it at least to
   * your longest idle timeout (or absolute lifetime). Default 400 days, the longest cookie lifetime
   * browsers allow.
   */
  revocationTtlMs?: number;
  /** The repository's clock, when you give it one. */
  clock?: Clock;
  /** The repository's id generator, when you give it one (per-request keys must pass its check). */
  idGenerator?: SessionIdGenerator;
}

export interface CookieSessions {
  /** Give to `createSessionRepository({ store })`. */
  readonly store: SessionStore;
  /** Give to the adapter (`idResolver`). */
  readonly idResolver: SessionIdResolver;
  /**
   * Refuses every cookie session of `principal` issued before now (log a user out everywhere); a
   * later login works. Needs `denyList`; without it throws UnsupportedCapabilityError.
   */
  revokePrincipal(principal: string): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Sessions kept in the cookie itself, sealed with AES-256-GCM: plug `store` into the repository and
 * `idResolver` into the adapter, and the Session API stays the same as with a server store.
 */
export function cookieSessions(options: CookieSessionsOptions): CookieSessions {
  if (!options || typeof options !== 'object') throw new SessionConfigError('cookieSessions needs options');
  if (options.cookie && 'secrets' in options.cookie) {
    throw new SessionConfigError(
      'cookieSessions: give secrets at the top level ({ secrets }), not in cookie options: the cookie is sealed, not signed',
    );
  }
  const cookie = resolveCookieOptions(options.cookie ?? {});
  const maxCookieBytes = options.maxCookieBytes ?? 4096;
  if (!Number.isInteger(maxCookieBytes) || maxCookieBytes < 512 || maxCookieBytes > 4096) {
    throw new SessionConfigError('cookieSessions: maxCookieBytes must be an integer from 512 to 4096');
  }
  const revocationTtlMs = options.revocationTtlMs ?? 400 * DAY_MS;
  if (!Number.isSafeInteger(revocationTtlMs) || revocationTtlMs <= 0) {
    throw new SessionConfigError('cookieSessions: revocationTtlMs must be a positive number of ms');
  }
  if (options.denyList !== undefined && typeof options.denyList?.load !== 'function') {
    throw new SessionConfigError('cookieSessions: denyList must be an @sess store (load, save, delete)');
  }
  const clock = options.clock ?? systemClock;
  const sealer = createSealer(options.secrets, `@sess/cookie ${cookie.name}`);
  const denyList =
    options.denyList === undefined ? undefined : new DenyList(options.denyList, clock, revocationTtlMs);
  const store = new CookieSessionStore({
    sealer,
    clock,
    denyList,
    overheadBytes: setCookieOverhead(cookie),
    maxCookieBytes,
  });
  const idResolver = cookieSessionResolver({
    cookie,
    store,
    sealer,
    clock,
    denyList,
    idGenerator: options.idGenerator ?? randomIdGenerator(),
    maxCookieBytes,
  });
  return {
    store,
    idResolver,
    async revokePrincipal(principal) {
      if (denyList === undefined) {
        throw new UnsupportedCapabilityError(
          'revokePrincipal needs a deny-list: without one a cookie session cannot be ended before it expires',
        );
      }
      if (typeof principal !== 'string' || principal.length === 0) {
        throw new TypeError('revokePrincipal: principal must be a non-empty string');
      }
      await denyList.revokePrincipal(principal);
    },
  };
}
