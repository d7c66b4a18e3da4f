import { SessionConfigError } from '../errors.js';
import type { SessionData } from '../session.js';
import type { SessionRepository } from '../session-repository.js';
import type { CookieOptions } from './cookie-options.js';
import type { HttpPort } from './http-port.js';
import { RequestSession } from './request-session.js';
import { cookieIdResolver, type SessionIdResolver } from './session-id-resolver.js';

export interface SessionManagerOptions<Data extends SessionData = SessionData> {
  /** Where sessions live and what they mean (timeouts, codec, ids, events). */
  repository: SessionRepository<Data>;
  /** Options of the session cookie (used when `idResolver` is not given). */
  cookie?: CookieOptions;
  /** How requests carry their id: cookieIdResolver (default), headerIdResolver, compositeIdResolver. */
  idResolver?: SessionIdResolver;
  /**
   * A request moves the session's last-access time (one small write) at most once per this many ms.
   * Default: a quarter of the idle timeout, at most 60 s. 0 touches on every request.
   */
  touchIntervalMs?: number;
  /**
   * Re-send the id whenever the session is saved or touched, renewing the cookie's Max-Age.
   * Default: true when `cookie.maxAgeMs` is set.
   */
  rolling?: boolean;
}

/**
 * The framework-agnostic request lifecycle. One per application; `load(port)` per request, then
 * `save()` on the returned RequestSession before the response goes out.
 */
export class SessionManager<Data extends SessionData = SessionData> {
  readonly repository: SessionRepository<Data>;
  readonly idResolver: SessionIdResolver;
  readonly touchIntervalMs: number;
  readonly rolling: boolean;

  constructor(options: SessionManagerOptions<Data>) {
    if (!options?.repository) throw new SessionConfigError('A session manager needs a repository');
    if (options.idResolver && options.cookie) {
      throw new SessionConfigError(
        'Give either idResolver or cookie options; put cookie options into cookieIdResolver()',
      );
    }
    this.repository = options.repository;
    this.idResolver = options.idResolver ?? cookieIdResolver(options.cookie);
    const interval =
      options.touchIntervalMs ?? Math.min(60_000, Math.floor(this.repository.idleTimeoutMs / 4));
    if (!(interval >= 0)) throw new SessionConfigError('touchIntervalMs must be >= 0');
    this.touchIntervalMs = interval;
    this.rolling = options.rolling ?? options.cookie?.maxAgeMs !== undefined;
  }

  /**
   * Resolves the request's id and loads its session: no I/O when the request has no id, one read
   * when it has one. Unknown, expired, malformed or tampered ids give a fresh (unsaved) session.
   * A store outage rejects with StoreUnavailableError, for the framework's error handling.
   */
  async load(port: HttpPort): Promise<RequestSession<Data>> {
    const id = await this.idResolver.read(port);
    const session = id === undefined ? null : await this.repository.findById(id);
    session?.access(this.repository.clock.now(), this.touchIntervalMs);
    return new RequestSession<Data>(this, port, session ?? undefined);
  }
}

/** Shorthand for `new SessionManager(options)`. */
export function createSessionManager<Data extends SessionData = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionManager<Data> {
  return new SessionManager(options);
}
