import type { Clock, ResolvedCookieOptions, SessionIdGenerator, SessionIdResolver } from '@sess/core';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { CookieSessionStore } from './cookie-session-store.js';
import type { DenyList } from './deny-list.js';
import { decodeSealedSession, expiresAtOf } from './sealed-session.js';
import type { Sealer } from './sealer.js';

export interface CookieSessionResolverSettings {
  readonly cookie: ResolvedCookieOptions;
  readonly store: CookieSessionStore;
  readonly sealer: Sealer;
  readonly clock: Clock;
  readonly denyList: DenyList | undefined;
  readonly idGenerator: SessionIdGenerator;
  readonly maxCookieBytes: number;
}

/**
 * Reads the sealed cookie: opens it, refuses it when tampered, expired or denied, and registers the
 * session under a fresh per-request key, which it returns as the "id" for core to load. Encodes an id
 * into the token the store's last save sealed.
 */
export function cookieSessionResolver(settings: CookieSessionResolverSettings): SessionIdResolver {
  const { cookie, store, sealer, clock, denyList, idGenerator, maxCookieBytes } = settings;
  const marker = `${cookie.name}=`;
  return {
    async read(port) {
      const header = port.getRequestHeader('cookie');
      if (!header?.includes(marker)) return undefined;
      const token = parseCookie(header)[cookie.name];
      if (!token || token.length > maxCookieBytes) return undefined;
      const plain = await sealer.open(token);
      const session = plain === undefined ? undefined : decodeSealedSession(plain);
      if (session === undefined || clock.now() >= expiresAtOf(session)) return undefined;
      // A deny-list outage rejects (StoreUnavailableError): refusing to decide is safer than admitting.
      if (denyList !== undefined && (await denyList.refuses(session))) return undefined;
      const key = idGenerator.generate();
      store.inFlight.add({ key, session, token: undefined, gone: false }, port);
      return key;
    },
    carries(port) {
      return port.getRequestHeader('cookie')?.includes(marker) ?? false;
    },
    encode(id, port) {
      return store.tokenFor(id, port);
    },
    write(port, encoded, lifetimeMs) {
      port.appendResponseHeader('set-cookie', serializeCookie(cookie, port.isSecure(), encoded, lifetimeMs));
    },
    clear(port) {
      port.appendResponseHeader('set-cookie', serializeCookie(cookie, port.isSecure(), '', 0));
    },
    persistent: cookie.persistent,
    carriesSession: true,
  };
}

/** The Set-Cookie line, as core's cookie resolver writes it. `lifetimeMs` 0 clears the cookie. */
export function serializeCookie(
  cookie: ResolvedCookieOptions,
  requestIsSecure: boolean,
  value: string,
  lifetimeMs: number,
): string {
  return stringifySetCookie(cookie.name, value, {
    path: cookie.path,
    httpOnly: cookie.httpOnly,
    sameSite: cookie.sameSite,
    secure: cookie.secure === 'auto' ? requestIsSecure : cookie.secure,
    partitioned: cookie.partitioned,
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
    ...(lifetimeMs <= 0
      ? { expires: new Date(0), maxAge: 0 }
      : cookie.persistent
        ? { maxAge: Math.max(1, Math.ceil(lifetimeMs / 1000)) }
        : {}),
  });
}

/** Bytes of the longest Set-Cookie line these options make, besides the value itself. */
export function setCookieOverhead(cookie: ResolvedCookieOptions): number {
  const longest = { ...cookie, secure: true, persistent: true };
  return new TextEncoder().encode(serializeCookie(longest, true, '', 10 * 365 * 24 * 3600 * 1000)).length;
}
