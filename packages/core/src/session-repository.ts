import { type Clock, systemClock } from './clock.js';
import { type AttributeCodec, jsonCodec } from './codec.js';
import { SessionConfigError, SessionError, UnsupportedCapabilityError } from './errors.js';
import { expiryOf, Session, type SessionData, type SessionEnvironment, TRACKING, VALUES } from './session.js';
import { SessionEventHub, type SessionEventListener } from './session-events.js';
import { maskSessionId, randomIdGenerator, type SessionIdGenerator } from './session-id.js';
import type {
  EventGap,
  SessionEventType,
  SessionRecord,
  SessionStore,
  SessionWrite,
} from './session-store.js';
import { assertStoreCapabilities } from './store-capabilities.js';

/** The index name under which sessions are found by their principal (user) name. */
export const PRINCIPAL_NAME_INDEX = 'principal';

export interface DecodeErrorReport {
  /** Masked id of the session whose data could not be decoded. */
  readonly sessionId: string;
  readonly error: unknown;
  /** Whether the unreadable session was removed from the store. */
  readonly removed: boolean;
}

export interface SessionRepositoryOptions {
  store: SessionStore;
  /** Idle timeout (max inactive interval) for new sessions, in ms. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** Absolute lifetime from creation, in ms; null (default) for none. Survives id changes. */
  absoluteTimeoutMs?: number | null;
  clock?: Clock;
  codec?: AttributeCodec;
  idGenerator?: SessionIdGenerator;
  /** Remove sessions whose stored data cannot be decoded. Default true. */
  removeUndecodable?: boolean;
  /** Called for every unreadable session. Default: console.warn with the masked id. */
  onDecodeError?: (report: DecodeErrorReport) => void;
  /** Called when an event listener throws. Default: console.error. */
  onListenerError?: (error: unknown) => void;
}

/**
 * Spring Session's SessionRepository plus FindByIndexNameSessionRepository, over any SessionStore.
 * All session semantics live here: expiry, id validation, decoding, id-change fallback, events.
 */
export class SessionRepository<Data extends object = SessionData> {
  readonly store: SessionStore;
  readonly clock: Clock;
  readonly idGenerator: SessionIdGenerator;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number | null;
  /**
   * 'store': events come from the store and cover every process sharing it (expiry included).
   * 'process': core raises the events this process causes; 'expired' only when it finds one on read.
   */
  readonly eventSource: 'store' | 'process';
  readonly #env: SessionEnvironment;
  readonly #codec: AttributeCodec;
  readonly #removeUndecodable: boolean;
  readonly #onDecodeError: (report: DecodeErrorReport) => void;
  readonly #events: SessionEventHub;
  #unsubscribeStore: (() => void) | null = null;
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: SessionRepositoryOptions) {
    assertStoreCapabilities(options.store);
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.#codec = options.codec ?? jsonCodec;
    this.idGenerator = options.idGenerator ?? randomIdGenerator();
    this.idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs ?? 30 * 60_000);
    const absolute = options.absoluteTimeoutMs ?? null;
    this.absoluteTimeoutMs = absolute === null ? null : positive('absoluteTimeoutMs', absolute);
    this.#removeUndecodable = options.removeUndecodable ?? true;
    this.#onDecodeError =
      options.onDecodeError ??
      ((report) => console.warn(`[@sess] unreadable session ${report.sessionId} ignored`, report.error));
    this.#onListenerError = options.onListenerError ?? ((error) => console.error('[@sess]', error));
    this.#events = new SessionEventHub(this.#onListenerError);
    this.eventSource = typeof this.store.subscribe === 'function' ? 'store' : 'process';
    this.#env = { clock: this.clock, codec: this.#codec, idGenerator: this.idGenerator };
  }

  /** A new, unsaved session with a fresh id. Nothing is written until `save`. */
  createSession(): Session<Data> {
    const now = this.clock.now();
    return new Session<Data>(
      this.#env,
      {
        id: this.idGenerator.generate(),
        createdAt: now,
        lastAccessedAt: now,
        maxInactiveMs: this.idleTimeoutMs,
        absoluteExpiresAt: this.absoluteTimeoutMs === null ? null : now + this.absoluteTimeoutMs,
        principal: null,
      },
      new Map(),
      null,
    );
  }

  /**
   * The live session with this id, or null when the id is malformed, unknown, expired or unreadable.
   * Store outages reject with StoreUnavailableError.
   */
  async findById(id: string): Promise<Session<Data> | null> {
    if (typeof id !== 'string' || !this.idGenerator.isValid(id)) return null;
    let record: SessionRecord | null;
    try {
      record = await this.store.load(id);
    } catch (error) {
      if (isDecodeError(error)) return this.#unreadable(id, error);
      throw error;
    }
    if (record === null) return null;
    if (isExpired(record, this.clock.now())) {
      await this.#expire(record);
      return null;
    }
    try {
      return this.#fromRecord(record);
    } catch (error) {
      return this.#unreadable(id, error);
    }
  }

  /**
   * Writes what changed. Creates new sessions (create-if-absent), renames after `changeId()`, applies
   * attribute deltas, or only touches. Resolves false when the session no longer exists in the store
   * (destroyed or rotated by another request): nothing is written then, so it stays gone.
   */
  async save(session: Session<Data>): Promise<boolean> {
    const changes = session[TRACKING];
    const now = this.clock.now();
    for (const name of changes.read) {
      // Objects read through get() may have been mutated in place: compare their encoding.
      if (changes.set.has(name) || !session[VALUES]().has(name)) continue;
      const encoded = this.#codec.encode(session[VALUES]().get(name));
      if (encoded !== changes.encoded.get(name)) changes.set.add(name);
    }
    if (changes.persistedId === null) {
      await this.#create(session, now);
      if (this.eventSource === 'process')
        this.#events.emit({ type: 'created', sessionId: session.id, principal: session.principal });
      return true;
    }
    if (changes.persistedId !== session.id && !(await this.#rename(changes.persistedId, session, now)))
      return false;
    const dirty =
      changes.set.size > 0 || changes.removed.size > 0 || changes.principalChanged || changes.timeoutChanged;
    if (dirty) return this.#write(session, 'update', now);
    if (changes.accessed) {
      const touched = await this.#touch(session, now);
      if (touched) changes.accessed = false;
      return touched;
    }
    return true;
  }

  /**
   * Removes the session. Safe to call for unknown or malformed ids. Its 'deleted' event carries the
   * principal it had (read first only when this process raises events and someone listens).
   */
  async deleteById(id: string): Promise<void> {
    if (typeof id !== 'string' || !this.idGenerator.isValid(id)) return;
    let principal: string | null = null;
    if (this.eventSource === 'process' && this.#events.size > 0) {
      principal = (await this.store.load(id).catch(() => null))?.principal ?? null;
    }
    await this.#delete(id, principal);
  }

  /** Removes a session this process holds (logout); its 'deleted' event carries its principal. */
  async deleteSession(session: Session<Data>): Promise<void> {
    const storedId = session[TRACKING].persistedId;
    if (storedId !== null) await this.#delete(storedId, session.principal);
  }

  async #delete(id: string, principal: string | null): Promise<void> {
    const removed = await this.store.delete(id);
    if (removed && this.eventSource === 'process')
      this.#events.emit({ type: 'deleted', sessionId: id, principal });
  }

  /** Sessions indexed under `indexName` = `value`. Only the principal-name index is built in. */
  async findByIndex(indexName: string, value: string): Promise<Map<string, Session<Data>>> {
    if (indexName !== PRINCIPAL_NAME_INDEX) {
      throw new UnsupportedCapabilityError(
        `Index "${indexName}" does not exist; only "${PRINCIPAL_NAME_INDEX}" (PRINCIPAL_NAME_INDEX) is supported`,
      );
    }
    return this.findByPrincipal(value);
  }

  /** All live sessions of a principal (user), keyed by id: list or revoke a user's sessions. */
  async findByPrincipal(principal: string): Promise<Map<string, Session<Data>>> {
    if (!this.store.findByPrincipal) {
      throw new UnsupportedCapabilityError(
        `The ${this.store.name} store cannot find sessions by principal; use a store that declares findByPrincipal`,
      );
    }
    const now = this.clock.now();
    const found = new Map<string, Session<Data>>();
    for (const record of await this.store.findByPrincipal(principal)) {
      if (record.principal !== principal || isExpired(record, now)) continue;
      try {
        found.set(record.id, this.#fromRecord(record));
      } catch (error) {
        await this.#unreadable(record.id, error);
      }
    }
    return found;
  }

  /** Subscribe to session events; returns the unsubscribe function. See `eventSource`. */
  on<T extends SessionEventType>(type: T, listener: SessionEventListener<T>): () => void {
    const off = this.#events.on(type, listener);
    if (this.store.subscribe && this.#unsubscribeStore === null) {
      this.#unsubscribeStore = this.store.subscribe((event) => this.#events.emit(event));
    }
    return () => {
      off();
      if (this.#events.size === 0 && this.#unsubscribeStore) {
        this.#unsubscribeStore();
        this.#unsubscribeStore = null;
      }
    };
  }

  /**
   * Called once the store's event subscription is back after it was down, with the span in which
   * events may have been missed by this process (store-delivered events are at-most-once across a
   * disconnection). Rebuild what you derive from events, e.g. list a user's sessions again. Stores
   * without `subscribeGaps` (in-process events) never call it. Returns the unsubscribe function.
   */
  onEventsMissed(listener: (gap: EventGap) => void): () => void {
    if (!this.store.subscribeGaps) return () => undefined;
    return this.store.subscribeGaps((gap) => {
      try {
        listener(gap);
      } catch (error) {
        this.#onListenerError(error);
      }
    });
  }

  /** Removes expired sessions now, when the store can (Shiro's session validation). */
  async cleanupExpired(): Promise<number> {
    if (!this.store.cleanupExpired) {
      throw new UnsupportedCapabilityError(
        `The ${this.store.name} store has no cleanup; it expires sessions itself`,
      );
    }
    return this.store.cleanupExpired(this.clock.now());
  }

  /** Stops event delivery and closes the store's own resources (never the user's client). */
  async close(): Promise<void> {
    this.#unsubscribeStore?.();
    this.#unsubscribeStore = null;
    await this.store.close?.();
  }

  #fromRecord(record: SessionRecord): Session<Data> {
    const values = new Map<string, unknown>();
    const encoded = new Map<string, string>();
    for (const [name, text] of record.attributes) {
      values.set(name, this.#codec.decode(text));
      encoded.set(name, text);
    }
    return new Session<Data>(this.#env, record, values, encoded);
  }

  async #write(session: Session<Data>, kind: SessionWrite['kind'], now: number): Promise<boolean> {
    const changes = session[TRACKING];
    const values = session[VALUES]();
    const names = kind === 'create' ? values.keys() : changes.set.values();
    const set = new Map<string, string>();
    for (const name of names) set.set(name, this.#codec.encode(values.get(name)));
    const write: SessionWrite = {
      id: session.id,
      kind,
      now,
      createdAt: session.createdAt,
      lastAccessedAt: session.lastAccessedAt,
      maxInactiveMs: session.maxInactiveMs,
      absoluteExpiresAt: session.absoluteExpiresAt,
      expiresAt: session.expiresAt,
      ...(kind === 'create' || changes.principalChanged ? { principal: session.principal } : {}),
      set,
      removed: kind === 'create' ? [] : [...changes.removed],
    };
    const applied = await this.store.save(write);
    if (!applied) return false;
    changes.persistedId = session.id;
    for (const [name, text] of set) changes.encoded.set(name, text);
    for (const name of changes.removed) changes.encoded.delete(name);
    changes.set.clear();
    changes.removed.clear();
    changes.principalChanged = false;
    changes.timeoutChanged = false;
    changes.accessed = false;
    return true;
  }

  /** Create-if-absent. An id collision (never seen with 256-bit ids, but possible with a weak custom
   * generator) gets a fresh id rather than an error: the session is still new, nobody holds its id. */
  async #create(session: Session<Data>, now: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#write(session, 'create', now);
        return;
      } catch (error) {
        if (!(error instanceof SessionError && error.code === 'CONFLICT') || attempt >= 3) throw error;
        session.changeId();
      }
    }
  }

  async #touch(session: Session<Data>, now: number): Promise<boolean> {
    if (this.store.touch) {
      return this.store.touch({
        id: session.id,
        now,
        lastAccessedAt: session.lastAccessedAt,
        expiresAt: session.expiresAt,
      });
    }
    return this.#write(session, 'update', now); // an empty delta moves only timestamps and expiry
  }

  /** Moves the stored session from `oldId` to the session's new id. False when `oldId` is gone. */
  async #rename(oldId: string, session: Session<Data>, now: number): Promise<boolean> {
    const changes = session[TRACKING];
    if (this.store.changeId) {
      if (!(await this.store.changeId(oldId, session.id, now))) return false;
    } else {
      // Honest fallback for stores without an atomic rename: copy what is stored, then delete the old id.
      const stored = await this.store.load(oldId);
      if (stored === null || isExpired(stored, now)) return false;
      await this.store.save({
        ...stored,
        id: session.id,
        kind: 'create',
        now,
        set: stored.attributes,
        removed: [],
      });
      await this.store.delete(oldId);
    }
    changes.persistedId = session.id;
    if (this.eventSource === 'process') {
      this.#events.emit({
        type: 'id-changed',
        sessionId: session.id,
        previousId: oldId,
        principal: session.principal,
      });
    }
    return true;
  }

  async #expire(record: SessionRecord): Promise<void> {
    // A store that delivers events also expires sessions itself (TTL, sweeper) and reports it; deleting
    // here would turn its 'expired' event into a 'deleted' one.
    if (this.eventSource === 'store') return;
    if (await this.store.delete(record.id)) {
      this.#events.emit({ type: 'expired', sessionId: record.id, principal: record.principal });
    }
  }

  async #unreadable(id: string, error: unknown): Promise<null> {
    let removed = false;
    if (this.#removeUndecodable) removed = await this.store.delete(id).catch(() => false);
    this.#onDecodeError({ sessionId: maskSessionId(id), error, removed });
    return null;
  }
}

/** Core's own check, whatever the store wrote as `expiresAt` (a safety net for every store). */
function isExpired(record: SessionRecord, now: number): boolean {
  const expiresAt = expiryOf(record.lastAccessedAt, record.maxInactiveMs, record.absoluteExpiresAt);
  return now >= expiresAt || now >= record.expiresAt;
}

function isDecodeError(error: unknown): boolean {
  return error instanceof SessionError && error.code === 'DECODE';
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new SessionConfigError(`${name} must be a positive number of ms`);
  return value;
}

/** Shorthand for `new SessionRepository(options)`. */
export function createSessionRepository<Data extends object = SessionData>(
  options: SessionRepositoryOptions,
): SessionRepository<Data> {
  return new SessionRepository<Data>(options);
}
