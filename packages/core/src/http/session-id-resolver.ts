import { parseCookie, stringifySetCookie } from 'cookie';
import { SessionConfigError } from '../errors.js';
import { type CookieOptions, type ResolvedCookieOptions, resolveCookieOptions } from './cookie-options.js';
import { type CookieSigner, createCookieSigner } from './cookie-signer.js';
import type { HttpPort } from './http-port.js';

/**
 * Where a request carries its session id and how the response hands it back: a cookie for browsers,
 * a header for REST clients, or both. Spring Session's HttpSessionIdResolver.
 */
export interface SessionIdResolver {
  /** The id this request carries, verified (e.g. signature checked), or undefined. Never throws. */
  read(port: HttpPort): string | undefined | Promise<string | undefined>;
  /** Whether the request uses this channel at all (cookie or header present), valid or not. */
  carries(port: HttpPort): boolean;
  /** Turns an id into what `write` sends on this request (e.g. signs it). Done before headers go out. */
  encode(id: string, port: HttpPort): string | Promise<string>;
  /**
   * Hands the encoded id to the client. Synchronous, so adapters can call it as headers are written.
   * `lifetimeMs` is how long the session lives from now unless used again; a persistent cookie takes
   * it as its Max-Age, so the cookie never outlives its session nor dies before it.
   */
  write(port: HttpPort, encoded: string, lifetimeMs: number): void;
  /** Tells the client to forget its session id. */
  clear(port: HttpPort): void;
  /** True when the client keeps the id across browser restarts (a cookie with Max-Age): it is re-sent as the session is used. */
  readonly persistent?: boolean;
  /**
   * True when the token is the session itself (a sealed cookie, @sess/cookie): each save makes a new
   * token, so every save re-sends it (rolling is forced) and a token is never reused after a save.
   */
  readonly carriesSession?: boolean;
}

/** Longest session token accepted from a request; anything longer is ignored, not parsed further. */
const MAX_TOKEN_LENGTH = 512;

/** The session id in a cookie (the default). */
export function cookieIdResolver(options: CookieOptions = {}): SessionIdResolver {
  const cookie = resolveCookieOptions(options);
  const signer: CookieSigner | undefined =
    cookie.secrets.length > 0 ? createCookieSigner(cookie.secrets) : undefined;
  const marker = `${cookie.name}=`;
  return {
    read(port) {
      const header = port.getRequestHeader('cookie');
      if (!header?.includes(marker)) return undefined; // cheap pre-check before parsing
      const value = parseCookie(header)[cookie.name];
      if (!value || value.length > MAX_TOKEN_LENGTH) return undefined;
      return signer ? signer.unsign(value) : value;
    },
    carries(port) {
      return port.getRequestHeader('cookie')?.includes(marker) ?? false;
    },
    encode(id) {
      return signer ? signer.sign(id) : id;
    },
    write(port, encoded, lifetimeMs) {
      port.appendResponseHeader('set-cookie', serialize(cookie, port, encoded, lifetimeMs));
    },
    clear(port) {
      port.appendResponseHeader('set-cookie', serialize(cookie, port, '', 0));
    },
    persistent: cookie.persistent,
  };
}

/** `lifetimeMs` 0 clears the cookie; otherwise it is the Max-Age of a persistent cookie. */
function serialize(cookie: ResolvedCookieOptions, port: HttpPort, value: string, lifetimeMs: number): string {
  const secure = cookie.secure === 'auto' ? port.isSecure() : cookie.secure;
  return stringifySetCookie(cookie.name, value, {
    path: cookie.path,
    httpOnly: cookie.httpOnly,
    sameSite: cookie.sameSite,
    secure,
    partitioned: cookie.partitioned,
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
    ...(lifetimeMs <= 0
      ? { expires: new Date(0), maxAge: 0 }
      : cookie.persistent
        ? { maxAge: Math.max(1, Math.ceil(lifetimeMs / 1000)) }
        : {}),
  });
}

export interface HeaderIdResolverOptions {
  /** Header carrying the id in both directions. Default "X-Auth-Token" (as Spring Session). */
  name?: string;
}

/** The session id in a request/response header, for REST and mobile clients. */
export function headerIdResolver(options: HeaderIdResolverOptions = {}): SessionIdResolver {
  const name = (options.name ?? 'X-Auth-Token').toLowerCase();
  return {
    read(port) {
      const value = port.getRequestHeader(name)?.trim();
      return value && value.length <= MAX_TOKEN_LENGTH ? value : undefined;
    },
    carries(port) {
      return port.getRequestHeader(name) !== undefined;
    },
    encode: (id) => id,
    write(port, encoded) {
      port.setResponseHeader(name, encoded);
    },
    clear(port) {
      // An empty header tells the client its token is void (Spring Session does the same).
      port.setResponseHeader(name, '');
    },
  };
}

/**
 * Tries resolvers in order. The response answers on the channel the request used, so a browser never
 * receives its id in a header readable by scripts; a request using none gets the first resolver's.
 */
export function compositeIdResolver(resolvers: readonly SessionIdResolver[]): SessionIdResolver {
  if (resolvers.length === 0) throw new SessionConfigError('compositeIdResolver needs at least one resolver');
  const channel = (port: HttpPort) => resolvers.find((r) => r.carries(port)) ?? resolvers[0]!;
  return {
    async read(port) {
      for (const resolver of resolvers) {
        const id = await resolver.read(port);
        if (id !== undefined) return id;
      }
      return undefined;
    },
    carries: (port) => resolvers.some((r) => r.carries(port)),
    encode: (id, port) => channel(port).encode(id, port),
    write(port, encoded, lifetimeMs) {
      channel(port).write(port, encoded, lifetimeMs);
    },
    clear(port) {
      channel(port).clear(port);
    },
    persistent: resolvers.some((r) => r.persistent === true),
  };
}
