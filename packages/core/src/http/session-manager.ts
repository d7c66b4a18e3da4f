import { SessionConfigError } from '../errors.js';
import type { Session, SessionData } from '../session.js';
import type { SessionRepository } from '../session-repository.js';
import type { CookieOptions } from './cookie-options.js';
import type { HttpPort } from './http-port.js';
import { SessionHandle } from './session-handle.js';
import { cookieIdResolver, type SessionIdResolver } from './session-id-resolver.js';

export interface SessionManagerOptions<Data extends object = SessionData> {
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
   * Default: true when the cookie is persistent.
   */
  rolling?: boolean;
}

/**
 * The framework-agnostic request lifecycle. One per application; per request, an adapter calls
 * `load(port)`, gives the application `handle.session`, and calls `handle.commit()` once before the
 * response goes out, whether the handler succeeded or threw.
 */
export class SessionManager<Data extends object = SessionData> {
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
    if (this.idResolver.carriesSession === true && options.rolling === false) {
      throw new SessionConfigError(
        'rolling: false cannot work when the cookie carries the session itself: every save must re-send it',
      );
    }
    this.rolling =
      options.rolling ?? (this.idResolver.persistent === true || this.idResolver.carriesSession === true);
  }

  /**
   * Resolves the request's id and loads its session: no I/O when the request has no id, one read
   * when it has one (none when concurrent requests of this process are using or loading it: they
   * share one object, see SessionRepository's `liveSessions`). Unknown, expired, malformed or
   * tampered ids give a fresh (unsaved) session.
   * A store outage rejects with StoreUnavailableError, for the framework's error handling.
   */
  async load(port: HttpPort): Promise<SessionHandle<Data>> {
    const id = await this.idResolver.read(port);
    const session = id === undefined ? null : await this.repository.acquire(id);
    session?.access(this.repository.clock.now(), this.touchIntervalMs);
    return new SessionHandle<Data>(this, port, session ?? undefined);
  }

  /** How long `session` lives from now unless used again: a persistent cookie's Max-Age. */
  cookieLifetime(session: Session<Data>): number {
    return Math.max(1, session.expiresAt - this.repository.clock.now());
  }
}

/** Shorthand for `new SessionManager(options)`. */
export function createSessionManager<Data extends object = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionManager<Data> {
  return new SessionManager(options);
}
