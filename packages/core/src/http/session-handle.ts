import { SessionCreationForbiddenError } from '../errors.js';
import { pendingWrite, type Session, type SessionData, TRACKING } from '../session.js';
import type { SaveOutcome } from '../session-repository.js';
import type { HttpPort } from './http-port.js';
import { createRequestSession, type RequestSession } from './request-session.js';
import type { SessionManager } from './session-manager.js';

/** What RequestSession delegates to: symbol keys, so adapters and applications never see them as API. */
export const PEEK = Symbol('sess.peek');
export const CURRENT = Symbol('sess.current');
export const WRITABLE = Symbol('sess.writable');
export const DEFAULT_IDLE = Symbol('sess.defaultIdleTimeoutMs');
export const NOW = Symbol('sess.now');
export const PREVENT_CREATION = Symbol('sess.preventCreation');
export const DESTROY = Symbol('sess.destroy');
export const RELOAD = Symbol('sess.reload');
export const SAVE = Symbol('sess.save');
export const REGENERATE = Symbol('sess.regenerate');

/**
 * One request's session state, as the adapter holds it. The application sees only `session` (a
 * RequestSession); the adapter calls `commit()` once before the response goes out, and may call
 * `applyHeaders()` from a "headers are being written" hook. The save decision lives here, once.
 *
 * Nothing is read unless the request carried an id, nothing is created until something is written,
 * and nothing is saved unless something changed.
 */
export class SessionHandle<Data extends object = SessionData> {
  /** What the application sees (`req.session`, `ctx.session`, ...). */
  readonly session: RequestSession<Data>;
  readonly #manager: SessionManager<Data>;
  readonly #port: HttpPort;
  #session: Session<Data> | undefined;
  /** The session this request acquired from the repository (possibly shared), released at commit. */
  #acquired: Session<Data> | undefined;
  /** The id we believe the client holds (a live one), so we know when to send a new one. */
  #clientId: string | undefined;
  #destroyed = false;
  #creationForbidden = false;
  /** A save wrote or touched the session and cookies roll: send the id again. */
  #roll = false;
  /** A save failed: the response must not hand out an id whose session may not exist. */
  #saveFailed = false;
  /** What this request's last save did ('unchanged' until one wrote something). */
  #outcome: SaveOutcome = 'unchanged';
  /** Encoded (possibly signed) ids, made once per id and request; allocated only when one is sent. */
  #tokens: Map<string, string> | undefined;

  /**
   * The same object as `session`, typed as frameworks declare `req.session` (with the augmentable
   * SessionData): what an adapter assigns to the request. `session` keeps the middleware's own Data.
   */
  get frameworkSession(): RequestSession {
    // Data is a compile-time view of the same attributes; the one place it is widened.
    return this.session as unknown as RequestSession;
  }

  /** @internal Made by SessionManager.load. */
  constructor(manager: SessionManager<Data>, port: HttpPort, session: Session<Data> | undefined) {
    this.#manager = manager;
    this.#port = port;
    this.#session = session;
    this.#acquired = session;
    this.#clientId = session?.id;
    this.session = createRequestSession(this);
  }

  /**
   * Saves what changed and queues the id on the response. Returns undefined when that finished at
   * once (nothing to write, no id to encode asynchronously: most read-only requests), otherwise a
   * promise to await before the response is sent. A failed save is not retried within the request:
   * later calls (the error reply passes through the adapter again) neither hit the store nor send an id.
   * Ends the request's use of a session it shares with concurrent requests (once it has saved).
   */
  commit(): Promise<void> | undefined {
    return this.#released(this.#commit());
  }

  #commit(): Promise<void> | undefined {
    if (this.#saveFailed) return undefined;
    const session = this.#session;
    if ((session && this.#mustWrite(session)) || this.#tokenMissing(this.#targetId())) return this.#save();
    this.applyHeaders();
    return undefined;
  }

  /**
   * Commits for a request whose handler failed and whose error response this adapter cannot put
   * headers on (fetch handlers): what the handler changed on a session the client already holds is
   * saved, but a new session or a new id the client would never learn about is not.
   */
  commitWithoutResponse(): Promise<void> | undefined {
    const session = this.#session;
    if (session && (session.isNew || session[TRACKING].persistedId !== session.id))
      return this.#released(undefined);
    return this.commit();
  }

  /** Releases the acquired session once `committing` settles (at once when there is nothing to await). */
  #released(committing: Promise<void> | undefined): Promise<void> | undefined {
    if (this.#acquired === undefined) return committing;
    if (committing === undefined) {
      this.#release();
      return undefined;
    }
    return committing.finally(() => this.#release());
  }

  #release(): void {
    const acquired = this.#acquired;
    if (acquired === undefined) return;
    this.#acquired = undefined;
    this.#manager.repository.release(acquired);
  }

  /**
   * Writes Set-Cookie (or the id header) and Cache-Control for the current state. Synchronous and
   * idempotent, so adapters may call it from a "headers are being written" hook (streaming).
   */
  applyHeaders(): void {
    const port = this.#port;
    if (this.#saveFailed || port.headersSent?.()) return;
    const target = this.#targetId();
    const resolver = this.#manager.idResolver;
    if (target !== undefined) {
      if (!this.#mustSend(target)) return;
      const token = this.#token(target);
      if (token === undefined) return;
      resolver.write(port, token, this.#manager.cookieLifetime(this.#session!));
      this.#clientId = target;
      this.#roll = false;
    } else if (this.#destroyed && this.#clientId !== undefined) {
      resolver.clear(port);
      this.#clientId = undefined;
    } else {
      return;
    }
    preventSharedCaching(port);
  }

  /**
   * What the last save did: 'gone' means this request's changes were dropped because another request
   * destroyed or rotated the session meanwhile; 'forwarded' that they reached the rotated session.
   */
  get outcome(): SaveOutcome {
    return this.#outcome;
  }

  // What RequestSession delegates to.

  /** The loaded session, if any (no session is made). */
  [PEEK](): Session<Data> | undefined {
    return this.#session;
  }

  /** The session, made (unsaved) when the request has none. */
  [CURRENT](): Session<Data> {
    this.#session ??= this.#manager.repository.createSession();
    return this.#session;
  }

  /** The session, for a write: refuses to make one where creation is forbidden. */
  [WRITABLE](): Session<Data> {
    const session = this[CURRENT]();
    if (session.isNew && this.#creationForbidden) {
      throw new SessionCreationForbiddenError(
        'This route forbids creating a session (preventCreation() was called), and the request has none',
      );
    }
    return session;
  }

  [DEFAULT_IDLE](): number {
    return this.#manager.repository.idleTimeoutMs;
  }

  [NOW](): number {
    return this.#manager.repository.clock.now();
  }

  [PREVENT_CREATION](): void {
    this.#creationForbidden = true;
  }

  /**
   * Gives the session a new id. A session other requests share is copied first: they keep the old id
   * and never learn the new one, and no request arriving with the old id joins the rotated session.
   */
  [REGENERATE](): void {
    const session = this.#manager.repository.prepareRotation(this[WRITABLE]());
    this.#session = session;
    session.changeId();
  }

  /** Removes the stored session now and forgets it; the response clears the client's id. */
  async [DESTROY](): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#destroyed = true;
    if (session && !session.isNew) await this.#manager.repository.deleteSession(session);
  }

  /** Re-reads the session from the store, discarding this request's unsaved changes. */
  async [RELOAD](): Promise<void> {
    const storedId = this.#session?.[TRACKING].persistedId;
    if (!storedId) {
      this.#session = undefined;
      return;
    }
    const reloaded = await this.#manager.repository.findById(storedId);
    reloaded?.access(this[NOW](), this.#manager.touchIntervalMs);
    this.#session = reloaded ?? undefined;
  }

  /** For the user's save(): always a promise, resolving with what the save did. */
  async [SAVE](): Promise<SaveOutcome> {
    await this.#commit();
    return this.#outcome;
  }

  async #save(): Promise<void> {
    const session = this.#session;
    if (session && this.#mustWrite(session)) {
      let outcome: SaveOutcome;
      try {
        outcome = await this.#manager.repository.saveWithOutcome(session);
      } catch (error) {
        this.#saveFailed = true;
        throw error;
      }
      if (outcome !== 'unchanged') this.#outcome = outcome;
      if (outcome === 'gone' || outcome === 'forwarded') {
        // Destroyed or rotated by another request meanwhile: the old id stays dead, and this response
        // must not overwrite whatever id the other request handed out (nor learn the new one).
        this.#session = undefined;
        this.#clientId = undefined;
      } else if (outcome === 'saved' && this.#manager.rolling) {
        this.#roll = true;
        // The saved state is inside the token: the one made before this save is stale.
        if (this.#manager.idResolver.carriesSession === true) this.#tokens?.delete(session.id);
      }
    }
    const target = this.#targetId();
    if (this.#tokenMissing(target)) {
      this.#remember(target, await this.#manager.idResolver.encode(target, this.#port));
    }
    this.applyHeaders();
  }

  /** The id the client should hold after this response, if any. */
  #targetId(): string | undefined {
    const session = this.#session;
    if (!session) return undefined;
    return session.isNew && pendingWrite(session) === 'none' ? undefined : session.id;
  }

  /** Something changed, or objects read may have been mutated in place (the repository compares their encoding; no I/O when unchanged). */
  #mustWrite(session: Session<Data>): boolean {
    return pendingWrite(session) !== 'none' || (!session.isNew && session[TRACKING].read.size > 0);
  }

  /** A header will carry `target` and its (possibly signed) token is not made yet. */
  #tokenMissing(target: string | undefined): target is string {
    return target !== undefined && this.#mustSend(target) && !this.#tokens?.has(target);
  }

  /** The client must be sent `target`: it holds another id (or none), or cookies roll. */
  #mustSend(target: string): boolean {
    return target !== this.#clientId || this.#roll;
  }

  #token(id: string): string | undefined {
    const known = this.#tokens?.get(id);
    if (known !== undefined) return known;
    const encoded = this.#manager.idResolver.encode(id, this.#port);
    if (typeof encoded !== 'string') return undefined; // async encoder: commit() prepares it
    this.#remember(id, encoded);
    return encoded;
  }

  #remember(id: string, token: string): void {
    this.#tokens ??= new Map();
    this.#tokens.set(id, token);
  }
}

/** A response that sets a session id must never be stored by a shared cache and replayed to others. */
function preventSharedCaching(port: HttpPort): void {
  const current = port.getResponseHeader('cache-control');
  if (current && /\b(no-store|private)\b/i.test(current)) return;
  port.setResponseHeader('cache-control', 'no-store');
}
