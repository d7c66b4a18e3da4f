import { SessionCreationForbiddenError } from '../errors.js';
import { pendingWrite, type Session, type SessionData, TRACKING } from '../session.js';
import type { HttpPort } from './http-port.js';
import type { SessionManager } from './session-manager.js';

/**
 * The session of one HTTP request, as handlers see it (`req.session`, `ctx.session`, ...).
 *
 * Nothing is read unless the request carried an id, nothing is created until something is written,
 * and nothing is saved unless something changed. Attributes live behind get/set, so no attribute name
 * can shadow a method (`id`, `save`, `then`, `__proto__` are plain data keys).
 */
export class RequestSession<Data extends SessionData = SessionData> {
  readonly #manager: SessionManager<Data>;
  readonly #port: HttpPort;
  #session: Session<Data> | undefined;
  /** The id we believe the client holds (a live one), so we know when to send a new one. */
  #clientId: string | undefined;
  #destroyed = false;
  #creationForbidden = false;
  /** A save wrote or touched the session and cookies roll: send the id again. */
  #roll = false;
  /** A save failed: the response must not hand out an id whose session may not exist. */
  #saveFailed = false;
  /** Encoded (possibly signed) ids, made once per id and request; allocated only when one is sent. */
  #tokens: Map<string, string> | undefined;

  /** @internal Made by SessionManager.load. */
  constructor(manager: SessionManager<Data>, port: HttpPort, session: Session<Data> | undefined) {
    this.#manager = manager;
    this.#port = port;
    this.#session = session;
    this.#clientId = session?.id;
  }

  /** The session id. Reading it on a request without a session makes an unsaved one. */
  get id(): string {
    return this.#current().id;
  }

  /** True when the session has not been stored yet (the request carried no live session). */
  get isNew(): boolean {
    return this.#session?.isNew ?? true;
  }

  get createdAt(): number {
    return this.#current().createdAt;
  }

  get lastAccessedAt(): number {
    return this.#current().lastAccessedAt;
  }

  get expiresAt(): number {
    return this.#current().expiresAt;
  }

  get maxInactiveMs(): number {
    return this.#session?.maxInactiveMs ?? this.#manager.repository.idleTimeoutMs;
  }

  set maxInactiveMs(value: number) {
    this.#writable().maxInactiveMs = value;
  }

  /** The principal (user) name this session is indexed by. Set it at login, after `regenerate()`. */
  get principal(): string | null {
    return this.#session?.principal ?? null;
  }

  set principal(value: string | null) {
    if (value === this.principal) return;
    this.#writable().principal = value;
  }

  get<K extends keyof Data & string>(name: K): Data[K] | undefined {
    return this.#session?.get(name);
  }

  set<K extends keyof Data & string>(name: K, value: Data[K]): this {
    this.#writable().set(name, value);
    return this;
  }

  remove<K extends keyof Data & string>(name: K): this {
    if (this.#session?.has(name)) this.#session.remove(name);
    return this;
  }

  has<K extends keyof Data & string>(name: K): boolean {
    return this.#session?.has(name) ?? false;
  }

  names(): Array<keyof Data & string> {
    return this.#session?.names() ?? [];
  }

  /**
   * Gives the session a new id and keeps its data: call it at login (and privilege changes) against
   * session fixation. The store renames the session when the request ends; the old id stops working.
   */
  async regenerate(): Promise<void> {
    this.#writable().changeId();
  }

  /** Removes the session from the store now and clears the client's id. Later writes start a new session. */
  async destroy(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#destroyed = true;
    const storedId = session?.[TRACKING].persistedId;
    if (storedId) await this.#manager.repository.deleteById(storedId);
  }

  /** Marks the session as accessed now, even within the touch interval. */
  touch(): void {
    this.#session?.access(this.#manager.repository.clock.now());
  }

  /**
   * Forbids creating a session in this request (REST endpoints, health checks): writing to a request
   * without a stored session then throws SessionCreationForbiddenError. An existing session still works.
   */
  preventCreation(): void {
    this.#creationForbidden = true;
  }

  /**
   * Saves what changed and queues the id on the response. Adapters call it before the response is
   * sent; handlers may call it earlier (before a long stream, or a redirect they send themselves).
   * After a failed save, later calls in the same request do nothing.
   */
  async save(): Promise<void> {
    if (this.trySaveSync()) return;
    const session = this.#session;
    if (session && this.#mustWrite(session)) {
      const pending = pendingWrite(session);
      let applied: boolean;
      try {
        applied = await this.#manager.repository.save(session);
      } catch (error) {
        this.#saveFailed = true;
        throw error;
      }
      if (!applied) {
        // Destroyed or rotated by another request meanwhile: it stays gone, and this response must
        // not overwrite whatever id the other request handed out.
        this.#session = undefined;
        this.#clientId = undefined;
      } else if (pending !== 'none' && this.#manager.rolling) {
        this.#roll = true;
      }
    }
    // Prepare the token (an async signature, for signed cookies) only when a header will carry it.
    const target = this.#targetId();
    if (this.#tokenMissing(target)) {
      this.#remember(target, await this.#manager.idResolver.encode(target, this.#port));
    }
    this.applyHeaders();
  }

  /**
   * For adapters: finishes the save at once when it needs no I/O (nothing to write, no id to encode
   * asynchronously), applying the headers, and returns true. Returns false when the caller must await
   * save() instead. Most read-only requests take this path, and it spares them an await before the
   * response goes out.
   */
  trySaveSync(): boolean {
    // A save that failed is not retried within the request: the error reply that follows (which
    // adapters also pass through here) must neither hit the store again nor hand out an id.
    if (this.#saveFailed) return true;
    const session = this.#session;
    if (session && this.#mustWrite(session)) return false;
    if (this.#tokenMissing(this.#targetId())) return false;
    this.applyHeaders();
    return true;
  }

  /**
   * Writes Set-Cookie (or the id header) and Cache-Control for the current state. Synchronous and
   * idempotent, so adapters may also call it from a "headers are being written" hook (streaming).
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
      resolver.write(port, token);
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

  /** The id the client should hold after this response, if any. */
  #targetId(): string | undefined {
    const session = this.#session;
    if (!session) return undefined;
    return session.isNew && pendingWrite(session) === 'none' ? undefined : session.id;
  }

  /** The session must go to the repository: something changed, or objects read may have been mutated in place (the repository compares their encoding; no I/O when unchanged). */
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
    if (typeof encoded !== 'string') return undefined; // async encoder (signing): save() prepares it
    this.#remember(id, encoded);
    return encoded;
  }

  #remember(id: string, token: string): void {
    this.#tokens ??= new Map();
    this.#tokens.set(id, token);
  }

  #current(): Session<Data> {
    this.#session ??= this.#manager.repository.createSession();
    return this.#session;
  }

  #writable(): Session<Data> {
    const session = this.#current();
    if (session.isNew && this.#creationForbidden) {
      throw new SessionCreationForbiddenError(
        'This route forbids creating a session (preventCreation() was called), and the request has none',
      );
    }
    return session;
  }

  toJSON(): Record<string, unknown> {
    return this.#session ? this.#session.toJSON() : { isNew: true, attributes: [] };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RequestSession ${JSON.stringify(this.toJSON())}`;
  }
}

/** A response that sets a session id must never be stored by a shared cache and replayed to others. */
function preventSharedCaching(port: HttpPort): void {
  const current = port.getResponseHeader('cache-control');
  if (current && /\b(no-store|private)\b/i.test(current)) return;
  port.setResponseHeader('cache-control', 'no-store');
}
