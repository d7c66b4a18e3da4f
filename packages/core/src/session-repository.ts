import { type Clock, systemClock } from './clock.js';
import { type AttributeCodec, jsonCodec } from './codec.js';
import { SessionConfigError, SessionError, UnsupportedCapabilityError } from './errors.js';
import { type Entry, type LiveSessionOptions, LiveSessions } from './live-sessions.js';
import { RenamedIds } from './renamed-ids.js';
import {
  expiryOf,
  FORK,
  Session,
  type SessionChanges,
  type SessionData,
  type SessionEnvironment,
  TRACKING,
  VALUES,
} from './session.js';
import {
  checkSessionSize,
  MAX_STORED_IDLE_MS,
  type ResolvedSessionLimits,
  resolveSessionLimits,
  type SessionLimits,
} from './session-data-rules.js';
import { SessionEventHub, type SessionEventListener } from './session-events.js';
import { maskSessionId, randomIdGenerator, type SessionIdGenerator } from './session-id.js';
import { checkRecord } from './session-record-check.js';
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
  /** Size limits per session, checked at save (SessionDataError). See docs/security.md. */
  limits?: SessionLimits;
  /**
   * For this long after this process renames a session (`regenerate()`), an attribute write that was
   * in flight on the old id is applied to the new id instead of being dropped (see saveWithOutcome).
   * In-process only. Default 10 000 ms; 0 drops such writes.
   */
  forwardWritesAfterRenameMs?: number;
  /**
   * Requests of this process that use one session at the same time share one Session object (loaded
   * once), so a read-modify-write by one is seen by the next and saves never undo each other; saves of
   * a shared session run one after another. `false` gives every request its own copy (each request's
   * changes are then last-writer-wins per attribute). Default on. See docs/session-cache.md.
   */
  liveSessions?: boolean | LiveSessionOptions;
}

/**
 * What a save did:
 * - 'saved': written (created, renamed, updated or touched) under the session's id;
 * - 'unchanged': nothing needed writing;
 * - 'forwarded': the session had been renamed by another request of this process while this one was
 *   in flight; its attribute changes (not principal or timeout changes) were applied to the new id.
 *   The old id stays dead: the response must not send it, nor learn the new one;
 * - 'gone': the session no longer exists under its id (destroyed, expired, or renamed elsewhere);
 *   nothing was written, and any changes this request made to it are lost.
 */
export type SaveOutcome = 'saved' | 'unchanged' | 'forwarded' | 'gone';

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
  readonly #limits: ResolvedSessionLimits;
  readonly #renamed: RenamedIds;
  readonly #live: LiveSessions<Session<Data>> | null;
  /** Stops the store-event watch that keeps live sessions coherent; null until the first acquire. */
  #liveWatch: (() => void) | null = null;
  /** The save in progress per session, so saves of a shared session run one after another. */
  readonly #saving = new WeakMap<Session<Data>, Promise<SaveOutcome>>();

  constructor(options: SessionRepositoryOptions) {
    assertStoreCapabilities(options.store);
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.#codec = options.codec ?? jsonCodec;
    this.idGenerator = options.idGenerator ?? randomIdGenerator();
    this.idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs ?? 30 * 60_000);
    if (this.idleTimeoutMs > MAX_STORED_IDLE_MS)
      throw new SessionConfigError('idleTimeoutMs must be at most 10 years');
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
    this.#limits = resolveSessionLimits(options.limits);
    const forwardMs = options.forwardWritesAfterRenameMs ?? 10_000;
    if (!(forwardMs >= 0) || !Number.isFinite(forwardMs))
      throw new SessionConfigError('forwardWritesAfterRenameMs must be 0 or a positive number of ms');
    this.#renamed = new RenamedIds(forwardMs);
    const live = options.liveSessions ?? true;
    this.#live = live === false ? null : new LiveSessions(live === true ? {} : live);
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
  findById(id: string): Promise<Session<Data> | null> {
    return this.#find(id, undefined);
  }

  /** findById; for a live entry, registers what it found in the same step (no extra promise). */
  async #find(id: string, entry: Entry<Session<Data>> | undefined): Promise<Session<Data> | null> {
    if (typeof id !== 'string' || !this.idGenerator.isValid(id)) return null;
    let found: Session<Data> | null = null;
    try {
      let record: SessionRecord | null;
      try {
        record = await this.store.load(id);
      } catch (error) {
        if (isDecodeError(error)) return this.#unreadable(id, error);
        throw error;
      }
      if (record === null) return null;
      try {
        checkRecord(record);
      } catch (error) {
        return this.#unreadable(id, error);
      }
      if (isExpired(record, this.clock.now())) {
        await this.#expire(record);
        return null;
      }
      try {
        found = this.#fromRecord(record);
      } catch (error) {
        return this.#unreadable(id, error);
      }
      return found;
    } finally {
      // Nothing found (or a failure): the entry goes, and later requests read the store again.
      if (entry !== undefined) this.#live?.loaded(entry, found);
    }
  }

  /**
   * `findById` for a request: while other requests of this process use the session (or are loading
   * it), resolves with the same object instead of reading the store again. Pair every session it
   * gives with one `release`. Without live sessions (`liveSessions: false`), exactly `findById`.
   */
  acquire(id: string): Promise<Session<Data> | null> {
    const live = this.#live;
    if (live === null || typeof id !== 'string' || !this.idGenerator.isValid(id)) return this.findById(id);
    if (this.#liveWatch === null) this.#watchLive(live);
    const now = this.clock.now();
    const joined = live.join(id, now);
    if (joined !== undefined) {
      return joined.load.then((session) => {
        if (session === null) return null;
        if (live.isCurrent(joined) && !session.isExpired(this.clock.now())) return session;
        // Destroyed, rotated or expired while this request waited: read the store again.
        live.leave(joined);
        return this.acquire(id);
      });
    }
    const entry = live.start(id, now);
    entry.load = this.#find(id, entry);
    return entry.load;
  }

  /**
   * With a store that delivers events (across processes), a live session another process destroys,
   * rotates or that expires stops being shared as soon as the event arrives; when events may have
   * been missed, nothing stays shared. Subscribed on the first acquire, so an unused repository opens
   * nothing.
   */
  #watchLive(live: LiveSessions<Session<Data>>): void {
    this.#liveWatch = () => undefined;
    const store = this.store;
    if (!store.subscribe) return;
    try {
      const off = store.subscribe((event) => {
        if (event.type === 'deleted' || event.type === 'expired') live.drop(event.sessionId);
        else if (event.type === 'id-changed') live.drop(event.previousId);
      });
      const offGaps = store.subscribeGaps?.(() => live.clear());
      this.#liveWatch = () => {
        off();
        offGaps?.();
      };
    } catch (error) {
      // Without the watch, sharing is still bounded by maxAgeMs; report and carry on.
      this.#onListenerError(error);
    }
  }

  /** The request that acquired `session` is done with it. */
  release(session: Session<Data>): void {
    this.#live?.release(session);
  }

  /**
   * Before `changeId()` on an acquired session: no request may join it under its old id any more, and
   * when other requests share it, the caller gets its own copy to rotate (they keep the old id, whose
   * writes are forwarded or dropped as for any rotation, and never learn the new one).
   */
  prepareRotation(session: Session<Data>): Session<Data> {
    const live = this.#live;
    if (live === null) return session;
    const shared = live.isShared(session);
    live.detach(session);
    return shared ? session[FORK]() : session;
  }

  /**
   * Writes what changed. Creates new sessions (create-if-absent), renames after `changeId()`, applies
   * attribute deltas, or only touches. Resolves false when the session no longer exists under its id
   * (destroyed or rotated by another request): it stays gone, and its id must not be handed out. The
   * changes may still have been forwarded to a new id: saveWithOutcome tells which.
   * Rejects with SessionDataError when the session is over its size limits (nothing is written).
   */
  async save(session: Session<Data>): Promise<boolean> {
    const outcome = await this.saveWithOutcome(session);
    return outcome === 'saved' || outcome === 'unchanged';
  }

  /** `save`, telling what happened: in particular whether changes were dropped ('gone'). */
  saveWithOutcome(session: Session<Data>): Promise<SaveOutcome> {
    const previous = this.#saving.get(session);
    const run = (): Promise<SaveOutcome> => this.#saveNow(session);
    const saving = previous === undefined ? run() : previous.then(run, run);
    this.#saving.set(session, saving);
    const done = (): void => {
      if (this.#saving.get(session) === saving) this.#saving.delete(session);
    };
    saving.then(done, done);
    return saving;
  }

  async #saveNow(session: Session<Data>): Promise<SaveOutcome> {
    const outcome = await this.#saveChanges(session);
    // Gone or rotated elsewhere: later requests must read the store again, not join this object.
    if (outcome === 'gone' || outcome === 'forwarded') this.#live?.detach(session);
    return outcome;
  }

  async #saveChanges(session: Session<Data>): Promise<SaveOutcome> {
    const changes = session[TRACKING];
    const now = this.clock.now();
    for (const name of changes.read) {
      // Objects read through get() may have been mutated in place: compare their encoding.
      if (changes.set.has(name) || !session[VALUES]().has(name)) continue;
      const encoded = this.#codec.encode(session[VALUES]().get(name));
      if (encoded !== changes.encoded.get(name)) {
        changes.set.add(name);
        changes.changedAt.set(name, ++changes.version);
      }
    }
    if (changes.persistedId === null) {
      await this.#create(session, now);
      if (this.eventSource === 'process')
        this.#events.emit({ type: 'created', sessionId: session.id, principal: session.principal });
      return 'saved';
    }
    const renaming = changes.persistedId !== session.id;
    if (renaming && !(await this.#rename(changes.persistedId, session, now))) return 'gone';
    const dirty =
      changes.set.size > 0 || changes.removed.size > 0 || changes.principalChanged || changes.timeoutChanged;
    if (dirty) {
      if (await this.#write(session, 'update', now)) return 'saved';
      return renaming ? 'gone' : this.#forward(session, now);
    }
    if (changes.accessed) {
      const version = changes.version;
      const touched = await this.#touch(session, now);
      if (touched && changes.accessedAt <= version) changes.accessed = false;
      return touched ? 'saved' : 'gone';
    }
    return renaming ? 'saved' : 'unchanged';
  }

  /**
   * Removes the session. Safe to call for unknown or malformed ids. Its 'deleted' event carries the
   * principal it had (read first only when this process raises events and someone listens).
   */
  async deleteById(id: string): Promise<void> {
    if (typeof id !== 'string' || !this.idGenerator.isValid(id)) return;
    this.#live?.drop(id);
    let principal: string | null = null;
    if (this.eventSource === 'process' && this.#events.size > 0) {
      principal = (await this.store.load(id).catch(() => null))?.principal ?? null;
    }
    await this.#delete(id, principal);
  }

  /** Removes a session this process holds (logout); its 'deleted' event carries its principal. */
  async deleteSession(session: Session<Data>): Promise<void> {
    const storedId = session[TRACKING].persistedId;
    // At once, before the store answers: no request may join a session being destroyed.
    this.#live?.detach(session);
    if (storedId !== null) {
      this.#live?.drop(storedId);
      await this.#delete(storedId, session.principal);
    }
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
      if ('unreadable' in record) {
        await this.#unreadable(record.id, record.unreadable);
        continue;
      }
      try {
        checkRecord(record);
        if (record.principal !== principal || isExpired(record, now)) continue;
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
    this.#live?.clear();
    this.#liveWatch?.();
    this.#liveWatch = () => undefined;
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
    // Only a write that sets attributes can make a session larger.
    if (set.size > 0) {
      checkSessionSize(
        values.keys(),
        values.size,
        (name) => set.get(name) ?? changes.encoded.get(name),
        this.#limits,
      );
    }
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
    const version = changes.version;
    const applied = await this.store.save(write);
    if (!applied) return false;
    changes.persistedId = write.id;
    markWritten(changes, session[VALUES](), version, set, write.removed);
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

  /**
   * Applies the attribute changes of a session that another request of this process renamed while
   * this one was in flight to its new id (see SaveOutcome 'forwarded'). The new id's own timestamps,
   * timeout and principal are kept: a racing request must not change who the session belongs to.
   */
  async #forward(session: Session<Data>, now: number): Promise<SaveOutcome> {
    const changes = session[TRACKING];
    if (!this.#renamed.enabled || (changes.set.size === 0 && changes.removed.size === 0)) return 'gone';
    const values = session[VALUES]();
    const set = new Map<string, string>();
    for (const name of changes.set) set.set(name, this.#codec.encode(values.get(name)));
    const removed = [...changes.removed];
    const version = changes.version;
    // Twice: the new id may itself be renamed between our read and our write.
    for (let attempt = 0; attempt < 2; attempt++) {
      const target = await this.#renamed.current(session.id, now);
      if (target === undefined) return 'gone';
      let stored: SessionRecord | null;
      try {
        stored = await this.store.load(target);
        if (stored !== null) checkRecord(stored);
      } catch (error) {
        if (isDecodeError(error)) return 'gone';
        throw error;
      }
      if (stored === null || isExpired(stored, now)) return 'gone';
      const applied = await this.store.save({
        id: target,
        kind: 'update',
        now,
        createdAt: stored.createdAt,
        lastAccessedAt: stored.lastAccessedAt,
        maxInactiveMs: stored.maxInactiveMs,
        absoluteExpiresAt: stored.absoluteExpiresAt,
        expiresAt: stored.expiresAt,
        set,
        removed,
      });
      if (applied) {
        markWritten(changes, values, version, set, removed);
        return 'forwarded';
      }
    }
    return 'gone';
  }

  /** Moves the stored session from `oldId` to the session's new id. False when `oldId` is gone. */
  async #rename(oldId: string, session: Session<Data>, now: number): Promise<boolean> {
    const changes = session[TRACKING];
    const done = this.#move(oldId, session.id, now);
    // Remembered before the store answers: a write on `oldId` failing meanwhile waits for this result.
    this.#renamed.record(oldId, session.id, now, done);
    if (!(await done)) return false;
    this.#live?.drop(oldId);
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

  async #move(oldId: string, newId: string, now: number): Promise<boolean> {
    if (this.store.changeId) return this.store.changeId(oldId, newId, now);
    // Honest fallback for stores without an atomic rename: copy what is stored, then delete the old id.
    const stored = await this.store.load(oldId);
    if (stored === null || isExpired(checkRecord(stored), now)) return false;
    await this.store.save({
      ...stored,
      id: newId,
      kind: 'create',
      now,
      set: stored.attributes,
      removed: [],
    });
    await this.store.delete(oldId);
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

/**
 * After a write the store applied: records what the store now holds, and clears only the changes made
 * at or before `version` (the count when the write was built). A change a sharing request made while
 * the store was answering stays pending for the next save.
 */
function markWritten(
  changes: SessionChanges,
  values: ReadonlyMap<string, unknown>,
  version: number,
  set: ReadonlyMap<string, string>,
  removed: readonly string[],
): void {
  for (const [name, text] of set) {
    changes.encoded.set(name, text);
    if ((changes.changedAt.get(name) ?? 0) <= version) changes.set.delete(name);
    // Removed while its value was being written: the store now has it, so the removal must be sent.
    else if (!values.has(name)) changes.removed.add(name);
  }
  for (const name of removed) {
    changes.encoded.delete(name);
    if ((changes.changedAt.get(name) ?? 0) <= version) changes.removed.delete(name);
  }
  if (changes.principalAt <= version) changes.principalChanged = false;
  if (changes.timeoutAt <= version) changes.timeoutChanged = false;
  if (changes.accessedAt <= version) changes.accessed = false;
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
