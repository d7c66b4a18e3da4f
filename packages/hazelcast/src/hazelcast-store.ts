import {
  SessionConfigError,
  SessionConflictError,
  type SessionRecord,
  type SessionStore,
  type SessionTouch,
  type SessionWrite,
  type StoreEvent,
  StoreUnavailableError,
} from '@sess/core';
import { type Client as HazelcastClient, Predicates } from 'hazelcast-client';
import { boundedCall, isDeserializationError } from './bounded-call.js';
import { EntryEventBridge } from './entry-event-bridge.js';
import { backoffDelay, type RetryBackoff, sleep } from './retry-backoff.js';
import type { SessionMap, SessionMapSource } from './session-map.js';
import {
  attributesObject,
  readStored,
  type StoredSession,
  type StoredValue,
  sessionText,
  toJson,
  tombstoneText,
  toRecord,
} from './stored-session.js';

export interface HazelcastStoreOptions {
  /**
   * The client you built (hazelcast-client 5.x). The store never shuts it down. Tests may pass any
   * `SessionMapSource` instead, such as an in-process double.
   */
  client: HazelcastClient | SessionMapSource;
  /** The IMap holding the sessions. Default "sess-sessions". */
  mapName?: string;
  /** Deadline of every map call, in ms; past it the call fails with StoreUnavailableError. Default 3000. */
  operationTimeoutMs?: number;
  /** Compare-and-set attempts per save before giving up with StoreUnavailableError. Default 32. */
  maxWriteAttempts?: number;
  /** First backoff ceiling between compare-and-set attempts, in ms (doubles, capped at 200). Default 2. */
  writeBackoffMs?: number;
  /**
   * Add a HASH index on `principal` through the client when the map is first used. Failures (no
   * permission, for example) are reported to `onWarning` and otherwise ignored. Default true.
   */
  addIndex?: boolean;
  /** Non-fatal problems (index, listener registration, leftover tombstones). Default: console.warn. */
  onWarning?: (message: string, error?: unknown) => void;
}

const DEFAULT_MAP_NAME = 'sess-sessions';

/**
 * Sessions in a Hazelcast IMap, one JSON document per session (see stored-session.ts), each with a
 * per-entry TTL taken from its absolute expiry so members evict expired sessions themselves.
 *
 * Writes are optimistic: read the document, apply the delta, `replaceIfSame` the exact text that was
 * read, retry with jittered backoff when another writer got there first. A Node client cannot ship a
 * server-side entry processor, and per-key locks would leave a key locked for the lease time when a
 * process dies mid-request; compare-and-set needs no cleanup and costs nothing without contention.
 */
export class HazelcastStore implements SessionStore {
  readonly name = 'hazelcast';
  /** The IMap name this store uses. */
  readonly mapName: string;
  readonly #source: SessionMapSource;
  readonly #timeoutMs: number;
  readonly #backoff: RetryBackoff;
  readonly #addIndex: boolean;
  readonly #onWarning: (message: string, error?: unknown) => void;
  readonly #events: EntryEventBridge;
  #map: Promise<SessionMap> | null = null;
  #indexRequested = false;

  constructor(options: HazelcastStoreOptions) {
    if (!options || typeof options.client?.getMap !== 'function') {
      throw new SessionConfigError('HazelcastStore needs `client`: a HazelcastClient (hazelcast-client 5.x)');
    }
    this.#source = options.client as SessionMapSource;
    this.mapName = options.mapName ?? DEFAULT_MAP_NAME;
    if (typeof this.mapName !== 'string' || this.mapName.length === 0)
      throw new SessionConfigError('mapName must be a non-empty string');
    this.#timeoutMs = positiveInteger('operationTimeoutMs', options.operationTimeoutMs ?? 3000);
    this.#backoff = {
      maxAttempts: positiveInteger('maxWriteAttempts', options.maxWriteAttempts ?? 32),
      baseDelayMs: positiveInteger('writeBackoffMs', options.writeBackoffMs ?? 2),
      maxDelayMs: 200,
    };
    this.#addIndex = options.addIndex ?? true;
    this.#onWarning =
      options.onWarning ?? ((message, error) => console.warn(`[@sess/hazelcast] ${message}`, error ?? ''));
    this.#events = new EntryEventBridge({
      register: (listener) =>
        this.#call('addEntryListener', (m) => m.addEntryListener(listener, undefined, true)),
      deregister: (id) => this.#call('removeEntryListener', (m) => m.removeEntryListener(id)),
      onWarning: this.#onWarning,
    });
  }

  async load(id: string): Promise<SessionRecord | null> {
    const stored = await this.#read(id);
    return stored?.kind === 'session' ? toRecord(id, stored.data) : null;
  }

  async save(write: SessionWrite): Promise<boolean> {
    await this.#events.pending;
    if (write.kind === 'create') {
      await this.#create(write);
      return true;
    }
    return this.#update(write.id, write.now, (data) => {
      const attributes = new Map(Object.entries(data.attributes));
      for (const [name, value] of write.set) attributes.set(name, value);
      for (const name of write.removed) attributes.delete(name);
      return {
        ...data,
        lastAccessedAt: write.lastAccessedAt,
        maxInactiveMs: write.maxInactiveMs,
        expiresAt: write.expiresAt,
        principal: write.principal === undefined ? data.principal : write.principal,
        attributes: attributesObject(attributes),
      };
    });
  }

  async touch(touch: SessionTouch): Promise<boolean> {
    await this.#events.pending;
    return this.#update(touch.id, touch.now, (data) => ({
      ...data,
      lastAccessedAt: touch.lastAccessedAt,
      expiresAt: touch.expiresAt,
    }));
  }

  async delete(id: string): Promise<boolean> {
    await this.#events.pending;
    let previous: unknown;
    try {
      previous = await this.#call('remove', (m) => m.remove(id));
    } catch (error) {
      // The member removed the entry; only turning the old value into a JS value failed. An
      // unreadable session that was removed is still a removal.
      if (isDecodeCause(error)) return true;
      throw error;
    }
    if (previous === null || previous === undefined) return false;
    try {
      // A tombstone is a session that was renamed away: deleting its old id removes nothing live.
      return readStored(id, previous).kind === 'session';
    } catch {
      return true;
    }
  }

  async findByPrincipal(principal: string): Promise<SessionRecord[]> {
    // An equality predicate carries the value as data (no SQL text to escape) and uses the index.
    const entries = await this.#call('entrySetWithPredicate', (m) =>
      m.entrySetWithPredicate(Predicates.equal('principal', principal)),
    );
    const records: SessionRecord[] = [];
    for (const [id, value] of entries) {
      try {
        const stored = readStored(id, value);
        if (stored.kind === 'session' && stored.data.principal === principal)
          records.push(toRecord(id, stored.data));
      } catch (error) {
        // One unreadable document must not hide a user's other sessions from "log out everywhere".
        this.#onWarning('skipped an unreadable session while finding sessions by principal', error);
      }
    }
    return records;
  }

  /**
   * Rename in three steps, each safe to interleave with other writers:
   *  1. replaceIfSame(old, session -> tombstone): from here the old id reads as absent, and a late
   *     save to it fails its compare-and-set instead of being lost;
   *  2. putIfAbsent(new, session + renamedFrom) with the session's TTL: listeners report 'id-changed';
   *  3. remove(old, tombstone): conditional, so it can only remove our own tombstone.
   * If step 2 finds the new id taken, step 1 is undone and SessionConflictError is thrown.
   */
  async changeId(oldId: string, newId: string, now: number): Promise<boolean> {
    await this.#events.pending;
    const tombstone = tombstoneText(newId);
    for (let attempt = 0; ; attempt++) {
      const stored = await this.#read(oldId);
      if (stored?.kind !== 'session' || isExpired(stored.data, now)) return false;
      const replaced = await this.#call('replaceIfSame', (m) =>
        m.replaceIfSame(oldId, toJson(stored.text), toJson(tombstone)),
      );
      if (!replaced) {
        await this.#contended(attempt, 'changeId');
        continue;
      }
      const moved: StoredSession = { ...stored.data, ver: stored.data.ver + 1, renamedFrom: oldId };
      const ttl = ttlMs(moved.expiresAt, now);
      let existing: unknown;
      try {
        existing = await this.#call('putIfAbsent', (m) =>
          m.putIfAbsent(newId, toJson(sessionText(moved)), ttl),
        );
      } catch (error) {
        if (!isDecodeCause(error)) {
          await this.#restore(oldId, tombstone, stored, now);
          throw error;
        }
        existing = true; // something unreadable already holds the new id
      }
      if (existing !== null && existing !== undefined) {
        await this.#restore(oldId, tombstone, stored, now);
        throw new SessionConflictError('A session with the new id already exists; generate another id');
      }
      try {
        await this.#call('remove', (m) => m.remove(oldId, toJson(tombstone)));
      } catch (error) {
        // The rename is done; the tombstone is invisible to every read and expires with its TTL.
        this.#onWarning('renamed a session but could not remove the old id; it expires by TTL', error);
      }
      return true;
    }
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /** Removes this store's map listener. The client stays connected: it is yours to shut down. */
  async close(): Promise<void> {
    await this.#events.close();
  }

  async #create(write: SessionWrite): Promise<void> {
    const data: StoredSession = {
      $sess: 1,
      ver: 0,
      createdAt: write.createdAt,
      lastAccessedAt: write.lastAccessedAt,
      maxInactiveMs: write.maxInactiveMs,
      absoluteExpiresAt: write.absoluteExpiresAt,
      expiresAt: write.expiresAt,
      principal: write.principal ?? null,
      attributes: attributesObject(write.set),
    };
    const ttl = ttlMs(data.expiresAt, write.now);
    let existing: unknown;
    try {
      existing = await this.#call('putIfAbsent', (m) =>
        m.putIfAbsent(write.id, toJson(sessionText(data)), ttl),
      );
    } catch (error) {
      if (!isDecodeCause(error)) throw error;
      existing = true; // the id is held by something unreadable: still taken
    }
    if (existing !== null && existing !== undefined) {
      throw new SessionConflictError('A session with this id already exists; generate another id');
    }
  }

  /**
   * The compare-and-set loop behind every update and touch: applies `change` to the stored document
   * only if it is still exactly what was read, then moves the entry's TTL to the new expiry.
   */
  async #update(id: string, now: number, change: (data: StoredSession) => StoredSession): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const stored = await this.#read(id);
      if (stored?.kind !== 'session' || isExpired(stored.data, now)) return false;
      const { renamedFrom: _, ...current } = stored.data;
      const next: StoredSession = { ...change(current), ver: current.ver + 1 };
      const replaced = await this.#call('replaceIfSame', (m) =>
        m.replaceIfSame(id, toJson(stored.text), toJson(sessionText(next))),
      );
      if (replaced) {
        // replaceIfSame has no TTL parameter: set it from the new expiry. A concurrent writer's setTtl
        // may land in between; both are within a request's duration of each other, below the TTL's
        // one-second resolution.
        await this.#call('setTtl', (m) => m.setTtl(id, ttlMs(next.expiresAt, now)));
        return true;
      }
      await this.#contended(attempt, 'save');
    }
  }

  async #contended(attempt: number, operation: string): Promise<void> {
    if (attempt + 1 >= this.#backoff.maxAttempts) {
      throw new StoreUnavailableError(
        `Hazelcast ${operation} gave up after ${this.#backoff.maxAttempts} compare-and-set attempts: ` +
          'the session kept changing under concurrent writes; retry the request or raise maxWriteAttempts',
      );
    }
    await sleep(backoffDelay(this.#backoff, attempt));
  }

  /** Best effort: put the session back under its old id after a rename that could not complete. */
  async #restore(oldId: string, tombstone: string, stored: StoredValue, now: number): Promise<void> {
    try {
      if (
        await this.#call('replaceIfSame', (m) =>
          m.replaceIfSame(oldId, toJson(tombstone), toJson(stored.text)),
        )
      ) {
        if (stored.kind === 'session') {
          await this.#call('setTtl', (m) => m.setTtl(oldId, ttlMs(stored.data.expiresAt, now)));
        }
      }
    } catch (error) {
      this.#onWarning('a failed rename could not restore the old id; that session is lost', error);
    }
  }

  async #read(id: string): Promise<StoredValue | null> {
    const value: unknown = await this.#call('get', (m) => m.get(id));
    if (value === null || value === undefined) return null;
    return readStored(id, value);
  }

  /** One bounded map call, the map proxy lookup included. */
  #call<T>(operation: string, call: (map: SessionMap) => Promise<T>): Promise<T> {
    return boundedCall(operation, this.#timeoutMs, async () => call(await this.#getMap()));
  }

  #getMap(): Promise<SessionMap> {
    if (this.#map === null) {
      const map = this.#source.getMap(this.mapName);
      this.#map = map;
      // A lookup that failed during an outage must not be cached: the next call tries again.
      map.then(
        (m) => this.#ensureIndex(m),
        () => {
          if (this.#map === map) this.#map = null;
        },
      );
    }
    return this.#map;
  }

  #ensureIndex(map: SessionMap): void {
    if (!this.#addIndex || this.#indexRequested) return;
    this.#indexRequested = true;
    // Not awaited by anything: queries work (by full scan) while the index builds or if it can't be added.
    boundedCall('addIndex', this.#timeoutMs, () =>
      map.addIndex({ name: `${this.mapName}-principal`, type: 'HASH', attributes: ['principal'] }),
    ).catch((error: unknown) => {
      this.#onWarning(
        'could not add the principal index; find-by-principal scans the map instead (add a HASH index on ' +
          `"principal" to map "${this.mapName}" in the member configuration)`,
        error,
      );
    });
  }
}

/** Shorthand for `new HazelcastStore(options)`. */
export function hazelcastStore(options: HazelcastStoreOptions): HazelcastStore {
  return new HazelcastStore(options);
}

function isExpired(data: StoredSession, now: number): boolean {
  return now >= data.expiresAt;
}

/**
 * The entry TTL for an absolute expiry. At least 1 ms, because 0 means "forever" and a negative TTL
 * means "the map's configured default" to Hazelcast. Members round TTLs up to whole seconds.
 */
function ttlMs(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil(expiresAt - now));
}

function isDecodeCause(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'DECODE' &&
    isDeserializationError((error as { cause?: unknown }).cause)
  );
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new SessionConfigError(`${name} must be a positive integer`);
  return value;
}
