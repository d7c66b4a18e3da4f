import type { Clock } from './clock.js';
import type { AttributeCodec } from './codec.js';
import { LIVE } from './live-sessions.js';
import { checkAttributeName, checkPrincipal, MAX_STORED_IDLE_MS } from './session-data-rules.js';
import { maskSessionId, type SessionIdGenerator } from './session-id.js';
import type { SessionRecord } from './session-store.js';

/**
 * The shape of a session's attributes. Describe yours once, by declaration merging, and every
 * `req.session.get()` / `set()` is typed (as express-session users do with its SessionData):
 *
 *   declare module '@sess/core' {
 *     interface SessionData { count: number; cart: string[] }
 *   }
 *
 * Names you do not declare stay allowed, as `unknown`. Or pass your own type as a type parameter.
 */
export interface SessionData {
  [name: string]: unknown;
}

/** Services a session needs; shared by all sessions of one repository. */
export interface SessionEnvironment {
  readonly clock: Clock;
  readonly codec: AttributeCodec;
  readonly idGenerator: SessionIdGenerator;
}

/** Module-private access to a session's change tracking, for the repository. Not exported publicly. */
export const TRACKING = Symbol('sess.tracking');
/** Module-private access to a session's decoded values, for the repository's encoder. */
export const VALUES = Symbol('sess.values');
/** Module-private: a separate copy of a shared session (see Session[FORK]). */
export const FORK = Symbol('sess.fork');

/** What changed in a session since it was loaded (or since its last save). */
export interface SessionChanges {
  /** The id the store knows, or null for a session never saved. */
  persistedId: string | null;
  /** Attribute names set since load. */
  readonly set: Set<string>;
  /** Attribute names removed since load. */
  readonly removed: Set<string>;
  /** Attribute names read through get() whose values are objects: they may have been mutated in place. */
  readonly read: Set<string>;
  /** Encoded values as the store has them, to detect in-place mutation and to copy on id change. */
  readonly encoded: Map<string, string>;
  principalChanged: boolean;
  timeoutChanged: boolean;
  accessed: boolean;
  /**
   * Counts every change. A save remembers the count it wrote at and clears only what did not change
   * again while the store was answering: requests sharing one session lose nothing to each other.
   */
  version: number;
  /** The version at which each attribute name was last set or removed. */
  readonly changedAt: Map<string, number>;
  principalAt: number;
  timeoutAt: number;
  accessedAt: number;
}

/** When a session expires: its idle deadline, or its absolute end of life if that comes first. */
export function expiryOf(
  lastAccessedAt: number,
  maxInactiveMs: number,
  absoluteExpiresAt: number | null,
): number {
  const idle = lastAccessedAt + maxInactiveMs;
  return absoluteExpiresAt === null ? idle : Math.min(idle, absoluteExpiresAt);
}

/**
 * What saving this session would do: 'create' a new one (only when something was written to it),
 * 'update' a stored one (attributes, principal, timeout, id or last access moved), or nothing.
 * Objects read through get() and mutated in place are found only by the repository's save.
 */
export function pendingWrite<D extends object>(session: Session<D>): 'create' | 'update' | 'none' {
  const c = session[TRACKING];
  const written = c.set.size > 0 || c.removed.size > 0 || c.principalChanged || c.timeoutChanged;
  if (c.persistedId === null) return written ? 'create' : 'none';
  return written || c.accessed || c.persistedId !== session.id ? 'update' : 'none';
}

/**
 * A session: attributes plus the metadata every store persists. Attributes are reached only through
 * get/set/remove/has/names, so no attribute name ("id", "save", "then", "__proto__", ...) can collide
 * with the session's own API. Changes are tracked so a store writes only what changed.
 */
export class Session<Data extends object = SessionData> {
  #id: string;
  readonly #createdAt: number;
  #lastAccessedAt: number;
  #maxInactiveMs: number;
  readonly #absoluteExpiresAt: number | null;
  #principal: string | null;
  readonly #values: Map<string, unknown>;
  readonly #env: SessionEnvironment;
  readonly [TRACKING]: SessionChanges;
  /** @internal The live-session entry this object belongs to, if any (see LiveSessions). */
  [LIVE]: unknown = undefined;

  /** @internal Sessions are made by a SessionRepository (createSession / findById). */
  constructor(
    env: SessionEnvironment,
    record: Omit<SessionRecord, 'attributes' | 'expiresAt'>,
    values: Map<string, unknown>,
    encoded: Map<string, string> | null,
  ) {
    this.#env = env;
    this.#id = record.id;
    this.#createdAt = record.createdAt;
    this.#lastAccessedAt = record.lastAccessedAt;
    this.#maxInactiveMs = record.maxInactiveMs;
    this.#absoluteExpiresAt = record.absoluteExpiresAt;
    this.#principal = record.principal;
    this.#values = values;
    this[TRACKING] = {
      persistedId: encoded === null ? null : record.id,
      set: new Set(),
      removed: new Set(),
      read: new Set(),
      encoded: encoded ?? new Map(),
      principalChanged: encoded === null && record.principal !== null,
      timeoutChanged: false,
      accessed: false,
      version: 0,
      changedAt: new Map(),
      principalAt: 0,
      timeoutAt: 0,
      accessedAt: 0,
    };
  }

  get id(): string {
    return this.#id;
  }

  /** True until the session has been saved to the store once. */
  get isNew(): boolean {
    return this[TRACKING].persistedId === null;
  }

  get createdAt(): number {
    return this.#createdAt;
  }

  get lastAccessedAt(): number {
    return this.#lastAccessedAt;
  }

  /** Idle timeout in ms: the session expires this long after its last access. */
  get maxInactiveMs(): number {
    return this.#maxInactiveMs;
  }

  set maxInactiveMs(value: number) {
    if (!Number.isFinite(value) || value <= 0 || value > MAX_STORED_IDLE_MS)
      throw new RangeError('maxInactiveMs must be a positive number of ms, at most 10 years');
    if (value === this.#maxInactiveMs) return;
    this.#maxInactiveMs = value;
    const changes = this[TRACKING];
    changes.timeoutChanged = true;
    changes.timeoutAt = ++changes.version;
  }

  /** The absolute end of life (epoch ms), or null when only the idle timeout applies. */
  get absoluteExpiresAt(): number | null {
    return this.#absoluteExpiresAt;
  }

  /** When the session expires unless accessed again (epoch ms). */
  get expiresAt(): number {
    return expiryOf(this.#lastAccessedAt, this.#maxInactiveMs, this.#absoluteExpiresAt);
  }

  isExpired(now: number = this.#env.clock.now()): boolean {
    return now >= this.expiresAt;
  }

  /** The principal (user) name the session is indexed by, or null. Set it at login. */
  get principal(): string | null {
    return this.#principal;
  }

  set principal(value: string | null) {
    if (value === this.#principal) return;
    checkPrincipal(value);
    this.#principal = value;
    const changes = this[TRACKING];
    changes.principalChanged = true;
    changes.principalAt = ++changes.version;
  }

  get<K extends keyof Data & string>(name: K): Data[K] | undefined {
    const value = this.#values.get(name);
    if (typeof value === 'object' && value !== null) this[TRACKING].read.add(name);
    return value as Data[K] | undefined;
  }

  /** Sets an attribute. Setting `undefined` removes it. */
  set<K extends keyof Data & string>(name: K, value: Data[K]): this {
    if (value === undefined) return this.remove(name);
    // A name already held passed the check when it was set (or was stored by an older version).
    if (!this.#values.has(name)) checkAttributeName(name);
    this.#values.set(name, value);
    const changes = this[TRACKING];
    changes.set.add(name);
    changes.removed.delete(name);
    changes.changedAt.set(name, ++changes.version);
    return this;
  }

  remove<K extends keyof Data & string>(name: K): this {
    const changes = this[TRACKING];
    if (this.#values.delete(name)) {
      changes.set.delete(name);
      changes.read.delete(name);
      if (changes.encoded.has(name)) changes.removed.add(name);
      changes.changedAt.set(name, ++changes.version);
    }
    return this;
  }

  has<K extends keyof Data & string>(name: K): boolean {
    return this.#values.has(name);
  }

  names(): Array<keyof Data & string> {
    return [...this.#values.keys()] as Array<keyof Data & string>;
  }

  /** Gives the session a new id; the store renames it on the next save (data, index and timeouts kept). */
  changeId(): string {
    this.#id = this.#env.idGenerator.generate();
    return this.#id;
  }

  /**
   * Marks an access at `now`. Only moves the last-access time when at least `intervalMs` passed since
   * the stored one, so steady traffic costs one touch per interval rather than one write per request.
   */
  access(now: number, intervalMs = 0): void {
    if (now - this.#lastAccessedAt < intervalMs) return;
    if (now === this.#lastAccessedAt) return;
    this.#lastAccessedAt = now;
    const changes = this[TRACKING];
    changes.accessed = true;
    changes.accessedAt = ++changes.version;
  }

  /**
   * A separate copy of this session, unsaved changes included, for a request that rotates the id of a
   * session other requests share: they keep the old id (their writes are forwarded or dropped, as for
   * any rotation) and never learn the new one. Values are copied through the codec.
   */
  [FORK](): Session<Data> {
    const codec = this.#env.codec;
    const values = new Map<string, unknown>();
    for (const [name, value] of this.#values) values.set(name, codec.decode(codec.encode(value)));
    const copy = new Session<Data>(
      this.#env,
      {
        id: this.#id,
        createdAt: this.#createdAt,
        lastAccessedAt: this.#lastAccessedAt,
        maxInactiveMs: this.#maxInactiveMs,
        absoluteExpiresAt: this.#absoluteExpiresAt,
        principal: this.#principal,
      },
      values,
      null,
    );
    const from = this[TRACKING];
    const to = copy[TRACKING];
    to.persistedId = from.persistedId;
    for (const name of from.set) to.set.add(name);
    for (const name of from.removed) to.removed.add(name);
    for (const name of from.read) to.read.add(name);
    for (const [name, text] of from.encoded) to.encoded.set(name, text);
    for (const [name, at] of from.changedAt) to.changedAt.set(name, at);
    to.principalChanged = from.principalChanged;
    to.timeoutChanged = from.timeoutChanged;
    to.accessed = from.accessed;
    to.version = from.version;
    to.principalAt = from.principalAt;
    to.timeoutAt = from.timeoutAt;
    to.accessedAt = from.accessedAt;
    return copy;
  }

  /** Decoded values, for the repository's encoder (module-private key). */
  [VALUES](): ReadonlyMap<string, unknown> {
    return this.#values;
  }

  toJSON(): Record<string, unknown> {
    return {
      id: maskSessionId(this.#id),
      createdAt: this.#createdAt,
      lastAccessedAt: this.#lastAccessedAt,
      maxInactiveMs: this.#maxInactiveMs,
      principal: this.#principal,
      attributes: this.names(),
    };
  }

  // Node's util.inspect: never print the raw id (it is a bearer credential).
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Session ${JSON.stringify(this.toJSON())}`;
  }
}
