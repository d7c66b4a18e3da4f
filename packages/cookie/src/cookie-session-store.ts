import {
  type Clock,
  SessionConflictError,
  SessionEncodeError,
  type SessionRecord,
  type SessionStore,
  type SessionWrite,
} from '@sess/core';
import { toBase64url } from '@sess/core/store';
import { CookieTooLargeError } from './cookie-too-large-error.js';
import type { DenyList } from './deny-list.js';
import { type InFlightSession, InFlightSessions } from './in-flight-sessions.js';
import { encodeSealedSession, expiresAtOf, type SealedSession } from './sealed-session.js';
import type { Sealer } from './sealer.js';

export interface CookieSessionStoreSettings {
  readonly sealer: Sealer;
  readonly clock: Clock;
  readonly denyList: DenyList | undefined;
  /** Bytes of the Set-Cookie line besides the value (name, "=", attributes), at their longest. */
  readonly overheadBytes: number;
  readonly maxCookieBytes: number;
}

/**
 * The store side of cookie sessions. The session lives in the client's cookie; this store holds only
 * the sessions of the requests in flight: the id resolver opens the cookie and registers its content
 * under a per-request key, `load` hands it to core, and every save seals the whole session into the
 * token the response sends. With a deny-list, delete and id change refuse the old stable id.
 *
 * It cannot list sessions by principal or report events (the sessions are in browsers), so it has no
 * `findByPrincipal`, `subscribe` or `cleanupExpired`; `touch` is left to core's fallback (a save).
 */
export class CookieSessionStore implements SessionStore {
  readonly name = 'cookie';
  readonly #settings: CookieSessionStoreSettings;
  /** @internal Shared with the id resolver. */
  readonly inFlight = new InFlightSessions();

  constructor(settings: CookieSessionStoreSettings) {
    this.#settings = settings;
  }

  async load(id: string): Promise<SessionRecord | null> {
    const state = this.inFlight.get(id);
    if (state === undefined || state.gone) return null;
    const s = state.session;
    return {
      id,
      createdAt: s.createdAt,
      lastAccessedAt: s.lastAccessedAt,
      maxInactiveMs: s.maxInactiveMs,
      absoluteExpiresAt: s.absoluteExpiresAt,
      expiresAt: expiresAtOf(s),
      principal: s.principal,
      attributes: s.attributes,
    };
  }

  async save(write: SessionWrite): Promise<boolean> {
    if (write.kind === 'create') {
      if (this.inFlight.get(write.id) !== undefined) {
        throw new SessionConflictError('A cookie session with this per-request key exists already');
      }
      const session: SealedSession = {
        sid: newStableId(),
        issuedAt: write.now,
        createdAt: write.createdAt,
        lastAccessedAt: write.lastAccessedAt,
        maxInactiveMs: write.maxInactiveMs,
        absoluteExpiresAt: write.absoluteExpiresAt,
        principal: write.principal ?? null,
        attributes: new Map(write.set),
      };
      const token = await this.#seal(session);
      this.inFlight.add({ key: write.id, session, token, gone: false });
      return true;
    }
    return this.#serially(write.id, async (state) => {
      if (expiresAtOf(state.session) <= write.now) return false; // expired sessions stay gone
      const attributes = new Map(state.session.attributes);
      for (const name of write.removed) attributes.delete(name);
      for (const [name, value] of write.set) attributes.set(name, value);
      const next: SealedSession = {
        ...state.session,
        lastAccessedAt: write.lastAccessedAt,
        maxInactiveMs: write.maxInactiveMs,
        absoluteExpiresAt: write.absoluteExpiresAt,
        principal: write.principal === undefined ? state.session.principal : write.principal,
        attributes,
      };
      state.token = await this.#seal(next);
      state.session = next;
      return true;
    });
  }

  /** Logout. With a deny-list the stable id is refused until no cookie carrying it can be alive. */
  async delete(id: string): Promise<boolean> {
    return this.#serially(
      id,
      async (state) => {
        await this.#deny(state.session);
        state.gone = true;
        return true;
      },
      false,
    );
  }

  /** Login (regenerate): a new stable id; with a deny-list, cookies carrying the old one are refused. */
  async changeId(oldId: string, newId: string, now: number): Promise<boolean> {
    if (this.inFlight.get(newId) !== undefined) {
      throw new SessionConflictError('A cookie session with this per-request key exists already');
    }
    return this.#serially(oldId, async (state) => {
      const previous = state.session;
      if (expiresAtOf(previous) <= now) return false; // expired sessions stay gone
      const next: SealedSession = { ...previous, sid: newStableId(), issuedAt: now };
      const token = await this.#seal(next);
      await this.#deny(previous);
      state.session = next;
      state.token = token;
      this.inFlight.rekey(state, newId);
      return true;
    });
  }

  /**
   * @internal The token to send for the session known as `key`, tied from now on to `port`'s request:
   * the one this request's last save sealed, else (headers asked for before any save, as a streamed
   * response does) the session as this request received it, sealed now.
   */
  tokenFor(key: string, port: object): string | Promise<string> {
    const state = this.inFlight.get(key);
    const sealing =
      state === undefined
        ? Promise.reject(new SessionEncodeError('This session is not saved yet: no cookie to send for it'))
        : state.token === undefined
          ? this.#seal(state.session)
          : undefined;
    if (state !== undefined) this.inFlight.bind(state, port);
    if (sealing === undefined) return state!.token!;
    // A caller that cannot wait (a headers hook, before the save) drops the promise; its failure must not go unhandled.
    sealing.catch(() => undefined);
    return sealing;
  }

  /**
   * Runs `work` on the in-flight state of `key` after the operations already queued on it, so each
   * applies to the previous one's result; resolves false (writes nothing) when the state is unknown,
   * gone, known under another key by then (an id change), or, with a deny-list, denied meanwhile.
   */
  #serially(
    key: string,
    work: (state: InFlightSession) => Promise<boolean>,
    checkDenyList = true,
  ): Promise<boolean> {
    const state = this.inFlight.get(key);
    if (state === undefined || state.gone) return Promise.resolve(false);
    const run = async (): Promise<boolean> => {
      if (state.gone || state.key !== key) return false;
      const denyList = this.#settings.denyList;
      if (checkDenyList && denyList !== undefined && (await denyList.refuses(state.session))) {
        state.gone = true;
        return false;
      }
      return work(state);
    };
    const result = (state.queue ?? Promise.resolve()).then(run, run);
    state.queue = result.catch(() => undefined);
    return result;
  }

  async #deny(session: SealedSession): Promise<void> {
    const denyList = this.#settings.denyList;
    if (denyList === undefined) return;
    // Another tab may hold a cookie of the same id renewed later than this one; none can be renewed
    // past now + idle timeout once the id is refused, nor past the absolute end of life.
    const now = this.#settings.clock.now();
    const until = session.absoluteExpiresAt ?? Math.max(expiresAtOf(session), now + session.maxInactiveMs);
    await denyList.deny(session.sid, until);
  }

  async #seal(session: SealedSession): Promise<string> {
    const token = await this.#settings.sealer.seal(encodeSealedSession(session));
    const size = this.#settings.overheadBytes + token.length;
    if (size > this.#settings.maxCookieBytes)
      throw new CookieTooLargeError(size, this.#settings.maxCookieBytes);
    return token;
  }
}

/** 128 random bits: the id the deny-list refuses; never sent in clear (it travels sealed). */
function newStableId(): string {
  return toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}
