import { SessionConfigError } from './errors.js';

/** Module-private: the live entry a session object was loaded into (a field, cheaper than a WeakMap). */
export const LIVE = Symbol('sess.live');

/** How requests of one process share a session they use at the same time (see SessionRepository). */
export interface LiveSessionOptions {
  /**
   * Most sessions shared at once; past it the oldest entry stops being shared (its requests keep
   * working; later ones load their own copy). Bounds what requests that never commit can pin.
   * Default 10 000.
   */
  maxEntries?: number;
  /**
   * A request joins a live session only within this many ms of its load; later requests read the store
   * again (and start a new shared entry). Bounds how long a request that never ends can make others
   * see a stale copy, and, over a store without events, how long a destroy or rotation by another
   * process can go unseen by requests joining a session this process is using. Default 10 000.
   */
  maxAgeMs?: number;
}

export interface Entry<S> {
  readonly id: string;
  readonly loadedAt: number;
  /** The shared load: every request joining the entry awaits this one store read. */
  load: Promise<S | null>;
  refs: number;
}

const NOT_LOADED: Promise<null> = Promise.resolve(null);

/**
 * One live session object per id per process while requests use it, reference counted (Jetty's
 * SessionCache with the evict-on-last-exit policy). A load in progress is shared too: requests that
 * arrive together cost one store read. Entries are dropped when the last request releases them, when
 * the session is destroyed or rotated, past `maxAgeMs`, and oldest first past `maxEntries`.
 */
export class LiveSessions<S extends { [LIVE]: unknown }> {
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #entries = new Map<string, Entry<S>>();

  constructor(options: LiveSessionOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max < 1)
      throw new SessionConfigError('liveSessions.maxEntries must be a positive integer');
    const age = options.maxAgeMs ?? 10_000;
    if (!Number.isFinite(age) || age <= 0)
      throw new SessionConfigError('liveSessions.maxAgeMs must be a positive number of ms');
    this.#maxEntries = max;
    this.#maxAgeMs = age;
  }

  /** Sessions shared right now (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Joins the entry requests are using (or loading) for `id`, when one exists and was loaded less than
   * `maxAgeMs` ago: its `load` gives the shared object. Each join must be matched by one `release`
   * (or `leave` when the joined session turns out unusable).
   */
  join(id: string, now: number): Entry<S> | undefined {
    const known = this.#entries.get(id);
    if (known === undefined) return undefined;
    if (now - known.loadedAt > this.#maxAgeMs) {
      this.#entries.delete(id);
      return undefined;
    }
    known.refs++;
    return known;
  }

  /** True while `entry` is still the one requests arriving with its id join. */
  isCurrent(entry: Entry<S>): boolean {
    return this.#entries.get(entry.id) === entry;
  }

  /** A joined session was unusable (expired, or dropped while the request waited): stop sharing it. */
  leave(entry: Entry<S>): void {
    entry.refs--;
    if (this.#entries.get(entry.id) === entry) this.#entries.delete(entry.id);
  }

  /** Starts an entry for `id`; the caller loads it, then calls `loaded` (null on failure too). */
  start(id: string, now: number): Entry<S> {
    const entry: Entry<S> = { id, loadedAt: now, load: NOT_LOADED, refs: 1 };
    this.#entries.set(id, entry);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  /** The load of `entry` resolved: share `session`, or drop the entry when there is none. */
  loaded(entry: Entry<S>, session: S | null): void {
    if (session === null) {
      if (this.#entries.get(entry.id) === entry) this.#entries.delete(entry.id);
    } else {
      session[LIVE] = entry;
    }
  }

  /** True when other requests hold `session` too. */
  isShared(session: S): boolean {
    const entry = session[LIVE] as Entry<S> | undefined;
    return entry !== undefined && entry.refs > 1;
  }

  /** One request is done with `session`; the last one out drops the entry. */
  release(session: S): void {
    const entry = session[LIVE] as Entry<S> | undefined;
    if (entry === undefined) return;
    entry.refs--;
    if (entry.refs <= 0 && this.#entries.get(entry.id) === entry) this.#entries.delete(entry.id);
  }

  /** No request may join `id` any more (destroyed, rotated, found gone); its holders keep their object. */
  drop(id: string): void {
    this.#entries.delete(id);
  }

  /** No request may join `session` any more, whatever id it was shared under. */
  detach(session: S): void {
    const entry = session[LIVE] as Entry<S> | undefined;
    if (entry !== undefined && this.#entries.get(entry.id) === entry) this.#entries.delete(entry.id);
  }

  /** Forgets every entry (repository closed). */
  clear(): void {
    this.#entries.clear();
  }
}
