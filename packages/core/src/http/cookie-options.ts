import { SessionConfigError } from '../errors.js';

export interface CookieOptions {
  /** Cookie name. Default "sid". Names starting with `__Host-` or `__Secure-` get their rules enforced. */
  name?: string;
  /** Default "/". */
  path?: string;
  /** Default: none (host-only cookie). */
  domain?: string;
  /** Default "lax". */
  sameSite?: 'lax' | 'strict' | 'none';
  /** true, false, or "auto" (default): Secure when the request is HTTPS. */
  secure?: boolean | 'auto';
  /** Default true. */
  httpOnly?: boolean;
  /** CHIPS partitioned cookie. Requires secure. Default false. */
  partitioned?: boolean;
  /**
   * false (default): a browser-session cookie, gone when the browser closes; the session's timeouts
   * still end it on the server. true: the cookie survives browser restarts. Its Max-Age is not a
   * separate setting: it is the session's own remaining lifetime (idle timeout, capped by the
   * absolute one, per session), re-sent as the session is used, so cookie and session end together.
   */
  persistent?: boolean;
  /**
   * Sign cookie values with HMAC-SHA-256. The first secret signs; all of them verify, so secrets can
   * be rotated by prepending a new one. Ids are unguessable without it; signing adds defence in depth.
   */
  secrets?: readonly string[];
}

export interface ResolvedCookieOptions {
  readonly name: string;
  readonly path: string;
  readonly domain: string | undefined;
  readonly sameSite: 'lax' | 'strict' | 'none';
  readonly secure: boolean | 'auto';
  readonly httpOnly: boolean;
  readonly partitioned: boolean;
  readonly persistent: boolean;
  readonly secrets: readonly string[];
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 7230 token: what a cookie name may contain

/** Validates cookie options once, at startup, so a bad config never fails per request. */
export function resolveCookieOptions(options: CookieOptions = {}): ResolvedCookieOptions {
  const resolved: ResolvedCookieOptions = {
    name: options.name ?? 'sid',
    path: options.path ?? '/',
    domain: options.domain,
    sameSite: options.sameSite ?? 'lax',
    secure: options.secure ?? 'auto',
    httpOnly: options.httpOnly ?? true,
    partitioned: options.partitioned ?? false,
    persistent: options.persistent ?? false,
    secrets: options.secrets ?? [],
  };
  const fail = (message: string): never => {
    throw new SessionConfigError(`Invalid cookie options: ${message}`);
  };
  if (!TOKEN.test(resolved.name)) fail(`name "${resolved.name}" is not a valid cookie name`);
  if (!resolved.path.startsWith('/')) fail('path must start with "/"');
  if (!['lax', 'strict', 'none'].includes(resolved.sameSite))
    fail('sameSite must be "lax", "strict" or "none"');
  for (const removed of ['maxAgeMs', 'maxAge', 'expires'] as const) {
    if (removed in options) {
      fail(
        `${removed} would give the cookie a lifetime of its own, which then disagrees with the session's. ` +
          "The cookie follows the session: set the lifetime with the repository's idleTimeoutMs / " +
          'absoluteTimeoutMs, and persistent: true for a cookie that survives browser restarts',
      );
    }
  }
  if (typeof resolved.persistent !== 'boolean') fail('persistent must be true or false');
  if (resolved.secrets.some((secret) => typeof secret !== 'string' || secret.length < 16)) {
    fail('every secret must be a string of at least 16 characters');
  }
  const alwaysSecure = resolved.secure === true;
  if (resolved.name.startsWith('__Host-')) {
    if (!alwaysSecure) fail('a "__Host-" cookie must have secure: true');
    if (resolved.path !== '/') fail('a "__Host-" cookie must have path "/"');
    if (resolved.domain !== undefined) fail('a "__Host-" cookie must not set a domain');
  }
  if (resolved.name.startsWith('__Secure-') && !alwaysSecure)
    fail('a "__Secure-" cookie must have secure: true');
  if (resolved.sameSite === 'none' && !alwaysSecure) fail('sameSite "none" requires secure: true');
  if (resolved.partitioned && !alwaysSecure) fail('partitioned cookies require secure: true');
  return resolved;
}
