import {
  type Clock,
  SessionConflictError,
  type SessionRecord,
  type SessionStore,
  type SessionTouch,
  type SessionWrite,
  type StoreEvent,
  systemClock,
} from '@sess/core';
import { ListenerSet, StoreOptionReader } from '@sess/core/store';

export interface MemoryStoreOptions {
  /** Must be the clock the repository uses. Default: the system clock. */
  clock?: Clock;
  /**
   * Upper bound on stored sessions. When a new session would exceed it, the least recently used
   * session (oldest load, save or touch) is evicted, in constant time, and a 'deleted' event is raised
   * ('expired' if it had expired). Other expired sessions are left to the sweeper. Default: no cap.
   */
  maxSessions?: number;
  /** How often expired sessions are swept (and 'expired' events raised), in ms. Default 1000. */
  sweepIntervalMs?: number;
}

interface Entry {
  createdAt: number;
  lastAccessedAt: number;
  maxInactiveMs: number;
  absoluteExpiresAt: number | null;
  expiresAt: number;
  principal: string | null;
  attributes: Map<string, string>;
}

/**
 * The in-process store: sessions in a Map (insertion order doubles as LRU order), a principal index,
 * events, and a sweeper on an unref'd timer, so it never keeps the process alive.
 */
export class MemoryStore implements SessionStore {
  readonly name = 'memory';
  readonly #clock: Clock;
  readonly #maxSessions: number;
  readonly #sweepIntervalMs: number;
  readonly #sessions = new Map<string, Entry>();
  readonly #byPrincipal = new Map<string, Set<string>>();
  // Core wraps its own listeners; a foreign subscriber's failure must not break the store.
  readonly #listeners = new ListenerSet<StoreEvent>(() => undefined);
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const read = new StoreOptionReader('memory');
    this.#clock = read.clock(options.clock, systemClock);
    this.#maxSessions =
      options.maxSessions === undefined || options.maxSessions === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : read.positiveInteger('maxSessions', options.maxSessions, 1);
    this.#sweepIntervalMs = read.msAtLeast('sweepIntervalMs', options.sweepIntervalMs, 10, 1000);
  }

  /** Number of sessions held, expired ones not yet swept included. */
  get size(): number {
    return this.#sessions.size;
  }

  async load(id: string): Promise<SessionRecord | null> {
    const entry = this.#live(id, this.#clock.now());
    if (!entry) return null;
    this.#markUsed(id, entry);
    return { id, ...entry, attributes: new Map(entry.attributes) };
  }

  async save(write: SessionWrite): Promise<boolean> {
    if (write.kind === 'create') {
      if (this.#live(write.id, write.now))
        throw new SessionConflictError('A session with this id already exists');
      this.#evictFor(1);
      const entry: Entry = {
        createdAt: write.createdAt,
        lastAccessedAt: write.lastAccessedAt,
        maxInactiveMs: write.maxInactiveMs,
        absoluteExpiresAt: write.absoluteExpiresAt,
        expiresAt: write.expiresAt,
        principal: write.principal ?? null,
        attributes: new Map(write.set),
      };
      this.#sessions.set(write.id, entry);
      this.#index(write.id, null, entry.principal);
      this.#startSweeper();
      this.#emit({ type: 'created', sessionId: write.id, principal: entry.principal });
      return true;
    }
    const entry = this.#live(write.id, write.now);
    if (!entry) return false;
    entry.lastAccessedAt = write.lastAccessedAt;
    entry.maxInactiveMs = write.maxInactiveMs;
    entry.expiresAt = write.expiresAt;
    for (const [name, value] of write.set) entry.attributes.set(name, value);
    for (const name of write.removed) entry.attributes.delete(name);
    if (write.principal !== undefined && write.principal !== entry.principal) {
      this.#index(write.id, entry.principal, write.principal);
      entry.principal = write.principal;
    }
    this.#markUsed(write.id, entry);
    return true;
  }

  async touch(touch: SessionTouch): Promise<boolean> {
    const entry = this.#live(touch.id, touch.now);
    if (!entry) return false;
    entry.lastAccessedAt = touch.lastAccessedAt;
    entry.expiresAt = touch.expiresAt;
    this.#markUsed(touch.id, entry);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    const entry = this.#remove(id);
    if (entry) this.#emit({ type: 'deleted', sessionId: id, principal: entry.principal });
    return entry !== undefined;
  }

  async changeId(oldId: string, newId: string, now: number): Promise<boolean> {
    if (this.#live(newId, now)) throw new SessionConflictError('A session with the new id already exists');
    const entry = this.#live(oldId, now);
    if (!entry) return false;
    this.#remove(oldId);
    this.#sessions.set(newId, entry);
    this.#index(newId, null, entry.principal);
    this.#emit({ type: 'id-changed', sessionId: newId, previousId: oldId, principal: entry.principal });
    return true;
  }

  async findByPrincipal(principal: string): Promise<SessionRecord[]> {
    const now = this.#clock.now();
    const records: SessionRecord[] = [];
    for (const id of this.#byPrincipal.get(principal) ?? []) {
      const entry = this.#live(id, now);
      if (entry) records.push({ id, ...entry, attributes: new Map(entry.attributes) });
    }
    return records;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  async cleanupExpired(now: number): Promise<number> {
    return this.#sweep(now);
  }

  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  /** The entry if present and not expired at `now`; an expired one is removed and reported. */
  #live(id: string, now: number): Entry | undefined {
    const entry = this.#sessions.get(id);
    if (entry && now >= entry.expiresAt) {
      this.#expire(id);
      return undefined;
    }
    return entry;
  }

  #expire(id: string): void {
    const entry = this.#remove(id);
    if (entry) this.#emit({ type: 'expired', sessionId: id, principal: entry.principal });
  }

  #sweep(now: number): number {
    let removed = 0;
    for (const [id, entry] of this.#sessions) {
      if (now >= entry.expiresAt) {
        this.#expire(id);
        removed++;
      }
    }
    return removed;
  }

  #remove(id: string): Entry | undefined {
    const entry = this.#sessions.get(id);
    if (!entry) return undefined;
    this.#sessions.delete(id);
    this.#index(id, entry.principal, null);
    return entry;
  }

  #index(id: string, from: string | null, to: string | null): void {
    if (from !== null) {
      const ids = this.#byPrincipal.get(from);
      ids?.delete(id);
      if (ids?.size === 0) this.#byPrincipal.delete(from);
    }
    if (to !== null) {
      let ids = this.#byPrincipal.get(to);
      if (!ids) {
        ids = new Set();
        this.#byPrincipal.set(to, ids);
      }
      ids.add(id);
    }
  }

  /** Moves the entry to the end of the Map: the front is always the least recently used. */
  #markUsed(id: string, entry: Entry): void {
    if (this.#maxSessions === Number.POSITIVE_INFINITY) return;
    this.#sessions.delete(id);
    this.#sessions.set(id, entry);
  }

  /**
   * Makes room by evicting from the front of the Map (the least recently used), never by scanning it:
   * a full sweep per new session is what made a full store slow to the point of unusable.
   */
  #evictFor(incoming: number): void {
    const now = this.#clock.now();
    while (this.#sessions.size > 0 && this.#sessions.size + incoming > this.#maxSessions) {
      const [id, entry] = this.#sessions.entries().next().value as [string, Entry];
      if (now >= entry.expiresAt) {
        this.#expire(id);
      } else {
        this.#remove(id);
        this.#emit({ type: 'deleted', sessionId: id, principal: entry.principal });
      }
    }
  }

  #startSweeper(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#sweep(this.#clock.now()), this.#sweepIntervalMs);
    // Never keep the process alive just to sweep sessions.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #emit(event: StoreEvent): void {
    this.#listeners.emit(event);
  }
}

/** Shorthand for `new MemoryStore(options)`. */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  return new MemoryStore(options);
}
