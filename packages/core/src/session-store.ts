/**
 * The contract a store author implements. Core owns meaning (encoding, expiry, indexing, events it
 * causes); the store owns persistence. Everything a store receives is already decided: encoded
 * attribute strings, absolute expiry times, the principal to index.
 */

/** What a store persists for one session. Attribute values are opaque strings made by core's codec. */
export interface SessionRecord {
  readonly id: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly lastAccessedAt: number;
  /** Idle timeout (max inactive interval) in ms, always > 0. */
  readonly maxInactiveMs: number;
  /** Absolute end of life (epoch ms), or null when only the idle timeout applies. */
  readonly absoluteExpiresAt: number | null;
  /**
   * When the session expires (epoch ms): min(lastAccessedAt + maxInactiveMs, absoluteExpiresAt).
   * Derived by core and given to the store so it can index it or hand it to a native TTL.
   */
  readonly expiresAt: number;
  /** The principal-name index value, or null when the session has no principal. */
  readonly principal: string | null;
  /** Attribute name -> encoded value. Names are arbitrary strings (including "__proto__"). */
  readonly attributes: ReadonlyMap<string, string>;
}

/**
 * One save: only what changed since the session was loaded. Timestamps and expiry are always present
 * (cheap, and every backend needs the new expiry); attributes and principal only when they changed.
 */
export interface SessionWrite {
  readonly id: string;
  /**
   * 'create': persist a brand-new session; must fail with SessionConflictError if the id exists
   *   (create-if-absent), so two sessions never share an id.
   * 'update': apply the delta only if the session still exists (and is not expired at `now`);
   *   otherwise write nothing and resolve false, so a destroyed or rotated session stays gone.
   */
  readonly kind: 'create' | 'update';
  /** Core's clock at the time of the write (epoch ms), for stores that keep expired rows around. */
  readonly now: number;
  readonly createdAt: number;
  readonly lastAccessedAt: number;
  readonly maxInactiveMs: number;
  readonly absoluteExpiresAt: number | null;
  readonly expiresAt: number;
  /** Present only when the principal changed (null clears it). For 'create' it is always present. */
  readonly principal?: string | null;
  /** Attributes to set (name -> encoded value). For 'create', all attributes. */
  readonly set: ReadonlyMap<string, string>;
  /** Attribute names to remove. Never overlaps `set`. Empty for 'create'. */
  readonly removed: readonly string[];
}

/** A touch: only the last-access time and the expiry move. Same existence rule as an 'update'. */
export interface SessionTouch {
  readonly id: string;
  readonly now: number;
  readonly lastAccessedAt: number;
  readonly expiresAt: number;
}

export type SessionEventType = 'created' | 'deleted' | 'expired' | 'id-changed';

/** A created, deleted or expired event. */
interface LifecycleEvent<T extends 'created' | 'deleted' | 'expired'> {
  readonly type: T;
  readonly sessionId: string;
  readonly principal?: string | null;
}

/** An event as a store reports it. `principal` is included when the store knows it. */
export type StoreEvent =
  | LifecycleEvent<'created'>
  | LifecycleEvent<'deleted'>
  | LifecycleEvent<'expired'>
  | {
      readonly type: 'id-changed';
      readonly sessionId: string;
      readonly previousId: string;
      readonly principal?: string | null;
    };

/**
 * A span of time (epoch ms) in which a store's event subscription in this process was down: events
 * published meanwhile were not delivered here and will not be.
 */
export interface EventGap {
  readonly from: number;
  readonly to: number;
}

/**
 * What a store can do, as core reads it from the optional methods the store has (`storeCapabilities`).
 * Stores do not declare it: having the method is the declaration.
 */
export interface StoreCapabilities {
  /** `findByPrincipal` is implemented. Without it, find-by-index throws UnsupportedCapabilityError. */
  readonly findByPrincipal: boolean;
  /** `touch` is implemented. Without it, core saves an empty delta instead. */
  readonly touch: boolean;
  /** `changeId` is implemented. Without it, core copies the session to the new id and deletes the old. */
  readonly changeId: boolean;
  /**
   * `subscribe` is implemented and the store delivers ALL event types itself (created, deleted,
   * expired, id-changed), typically across processes. Without it, core raises the events it causes
   * in this process, and 'expired' only when it finds an expired session on read.
   */
  readonly events: boolean;
  /** `subscribeGaps` is implemented: the store reports spans in which its events may have been lost. */
  readonly gaps: boolean;
  /** `cleanupExpired` is implemented. */
  readonly cleanup: boolean;
}

export interface SessionStore {
  /** A short name for messages, e.g. "redis". */
  readonly name: string;

  /**
   * The record for `id`, or null when absent. May return an expired record (core filters).
   * Throws SessionDecodeError when the stored data is unreadable, StoreUnavailableError on outage.
   */
  load(id: string): Promise<SessionRecord | null>;
  /** Persist a write atomically. Resolves true when applied, false when an update found no session. */
  save(write: SessionWrite): Promise<boolean>;
  /** Remove the session and its index entries. Resolves true when something was removed. */
  delete(id: string): Promise<boolean>;

  /** Records whose principal equals `principal` (expired ones may be included; core filters). */
  findByPrincipal?(principal: string): Promise<SessionRecord[]>;
  /** Move only the last-access time and expiry. Resolves false when the session no longer exists. */
  touch?(touch: SessionTouch): Promise<boolean>;
  /**
   * Rename a session, keeping data and index right. Resolves false when `oldId` does not exist.
   * Must fail with SessionConflictError if `newId` exists.
   */
  changeId?(oldId: string, newId: string, now: number): Promise<boolean>;
  /** Deliver events to `listener` until the returned function is called. */
  subscribe?(listener: (event: StoreEvent) => void): () => void;
  /**
   * Tell `listener`, once the subscription is back, about each span in which it was down (a lost
   * connection), until the returned function is called. For stores whose event delivery can lose
   * events (Pub/Sub, LISTEN/NOTIFY); a store without it never reports gaps.
   */
  subscribeGaps?(listener: (gap: EventGap) => void): () => void;
  /** Remove sessions expired at `now`; resolves how many were removed. */
  cleanupExpired?(now: number): Promise<number>;
  /** Release timers, subscriptions and connections the store itself opened (never the user's client). */
  close?(): Promise<void>;
}
