import {
  type EventGap,
  SessionConflictError,
  type SessionRecord,
  type SessionStore,
  type SessionTouch,
  type SessionWrite,
  type StoreEvent,
  StoreUnavailableError,
} from '@sess/core';
import { Predicates } from 'hazelcast-client';
import { boundedCall, isDeserializationError } from './bounded-call.js';
import { ConnectionGaps } from './connection-gaps.js';
import { EntryEventBridge } from './entry-event-bridge.js';
import {
  type HazelcastBackgroundSource,
  type HazelcastStoreOptions,
  resolveHazelcastStoreOptions,
} from './hazelcast-store-options.js';
import { RecentDocuments } from './recent-documents.js';
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

/**
 * Sessions in a Hazelcast IMap, one JSON document per session (see stored-session.ts), each with a
 * per-entry TTL taken from its absolute expiry so members evict expired sessions themselves.
 *
 * Writes are optimistic: apply the delta to the document as last read, `replaceIfSame` the exact text
 * that was read, re-read and retry with jittered backoff when another writer got there first. A Node
 * client cannot ship a server-side entry processor, and per-key locks would leave a key locked for the
 * lease time when a process dies mid-request; compare-and-set needs no cleanup and costs nothing
 * without contention. The document a request loaded is remembered briefly (RecentDocuments), so its
 * save needs no second read unless someone else wrote in between.
 */
export class HazelcastStore implements SessionStore {
  readonly name = 'hazelcast';
  /** The IMap name this store uses. */
  readonly mapName: string;
  readonly #source: SessionMapSource;
  readonly #timeoutMs: number;
  readonly #backoff: RetryBackoff;
  readonly #addIndex: boolean;
  readonly #onBackgroundError: (error: unknown, source: HazelcastBackgroundSource) => void;
  readonly #events: EntryEventBridge;
  readonly #gaps: ConnectionGaps | null;
  readonly #recent = new RecentDocuments(1000, 4_000_000);
  #map: Promise<SessionMap> | null = null;
  #indexRequested = false;

  constructor(options: HazelcastStoreOptions) {
    const resolved = resolveHazelcastStoreOptions(options);
    this.#source = resolved.source;
    this.mapName = resolved.mapName;
    this.#timeoutMs = resolved.operationTimeoutMs;
    this.#backoff = {
      maxAttempts: resolved.maxWriteAttempts,
      baseDelayMs: resolved.writeBackoffMs,
      maxDelayMs: 200,
    };
    this.#addIndex = resolved.addIndex;
    const report = resolved.onBackgroundError;
    this.#onBackgroundError = (error, source) => {
      try {
        report(error, source);
      } catch {
        // A throwing hook must not break the work that reported to it.
      }
    };
    this.#events = new EntryEventBridge({
      register: (listener) =>
        this.#call('addEntryListener', (m) => m.addEntryListener(listener, undefined, true)),
      deregister: (id) => this.#call('removeEntryListener', (m) => m.removeEntryListener(id)),
      onBackgroundError: this.#onBackgroundError,
    });
    this.#gaps = ConnectionGaps.for(this.#source, (error) => this.#onBackgroundError(error, 'events'));
    if (this.#gaps === null) (this as { subscribeGaps?: unknown }).subscribeGaps = undefined;
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
    this.#recent.forget(id);
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
        this.#onBackgroundError(error, 'find-by-principal');
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
    let stored: StoredValue | null = this.#recent.take(oldId);
    for (let attempt = 0; ; attempt++) {
      const remembered = stored !== null;
      stored ??= await this.#read(oldId);
      if (stored?.kind !== 'session' || isExpired(stored.data, now)) {
        if (remembered) {
          stored = null;
          continue;
        }
        return false;
      }
      const current = stored;
      const replaced = await this.#call('replaceIfSame', (m) =>
        m.replaceIfSame(oldId, toJson(current.text), toJson(tombstone)),
      );
      stored = null;
      if (!replaced) {
        if (!remembered) await this.#contended(attempt, 'changeId');
        continue;
      }
      const moved: StoredSession = { ...current.data, ver: current.data.ver + 1, renamedFrom: oldId };
      const movedText = sessionText(moved);
      let existing: unknown;
      try {
        existing = await this.#call('putIfAbsent', (m) =>
          m.putIfAbsent(newId, toJson(movedText), entryTtlMs(moved.expiresAt, now)),
        );
      } catch (error) {
        if (!isDecodeCause(error)) {
          await this.#restore(oldId, tombstone, current, now);
          throw error;
        }
        existing = true; // something unreadable already holds the new id
      }
      if (existing !== null && existing !== undefined) {
        await this.#restore(oldId, tombstone, current, now);
        throw new SessionConflictError('A session with the new id already exists; generate another id');
      }
      this.#recent.remember(newId, { kind: 'session', text: movedText, data: moved });
      try {
        await this.#call('remove', (m) => m.remove(oldId, toJson(tombstone)));
      } catch (error) {
        // The rename is done. The tombstone reads as absent everywhere; replaceIfSame left it without
        // a TTL, so it stays until removed (about 60 bytes).
        this.#onBackgroundError(error, 'rename');
      }
      return true;
    }
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /**
   * Spans in which entry events may have been missed: a member connection dropped (a member died,
   * or the whole cluster was unreachable) until the client had a connection again or the cluster
   * had dropped that member. Only with a real HazelcastClient.
   */
  subscribeGaps(listener: (gap: EventGap) => void): () => void {
    return this.#gaps?.subscribe(listener) ?? (() => undefined);
  }

  /** Removes this store's map listener. The client stays connected: it is yours to shut down. */
  async close(): Promise<void> {
    this.#gaps?.close();
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
    const text = sessionText(data);
    let existing: unknown;
    try {
      existing = await this.#call('putIfAbsent', (m) =>
        m.putIfAbsent(write.id, toJson(text), entryTtlMs(data.expiresAt, write.now)),
      );
    } catch (error) {
      if (!isDecodeCause(error)) throw error;
      existing = true; // the id is held by something unreadable: still taken
    }
    if (existing !== null && existing !== undefined) {
      throw new SessionConflictError('A session with this id already exists; generate another id');
    }
    this.#recent.remember(write.id, { kind: 'session', text, data });
  }

  /**
   * The compare-and-set loop behind every update and touch: applies `change` to the stored document
   * only if it is still exactly what was read, then gives the entry the TTL of the new expiry.
   */
  async #update(id: string, now: number, change: (data: StoredSession) => StoredSession): Promise<boolean> {
    // The document this process last read or wrote: right unless someone else wrote since.
    let stored: StoredValue | null = this.#recent.take(id);
    let previousText: string | null = null;
    for (let attempt = 0; ; attempt++) {
      const remembered = stored !== null;
      stored ??= await this.#read(id);
      if (stored?.kind !== 'session' || isExpired(stored.data, now)) {
        if (remembered) {
          stored = null;
          continue;
        }
        return false;
      }
      if (!remembered && stored.text === previousText) {
        // Read twice, unchanged, yet the compare failed: the member holds other bytes for the same
        // document (written with other formatting, read back re-serialized under the client's EAGER
        // JSON policy). Rewrite it in this store's form, once, so comparisons can match again.
        stored = await this.#normalize(id, stored, now);
      }
      const current = stored;
      const { renamedFrom: _, ...unchanged } = current.data;
      const next: StoredSession = { ...change(unchanged), ver: unchanged.ver + 1 };
      const nextText = sessionText(next);
      const replaced = await this.#call('replaceIfSame', (m) =>
        m.replaceIfSame(id, toJson(current.text), toJson(nextText)),
      );
      stored = null;
      if (replaced) {
        this.#recent.remember(id, { kind: 'session', text: nextText, data: next });
        await this.#applyTtl(id, next.expiresAt, now);
        return true;
      }
      if (!remembered) {
        previousText = current.text;
        await this.#contended(attempt, 'save');
      }
    }
  }

  /**
   * replaceIfSame has no TTL parameter and leaves the entry with the map's default (none, unless the
   * member config sets one), so the TTL is set right after. The write is applied either way: a failure
   * here must not fail the save (the caller would retry a write that happened). The entry then has no
   * TTL, so it is never evicted early, and the TTL is retried in the background.
   */
  async #applyTtl(id: string, expiresAt: number, now: number): Promise<void> {
    try {
      await this.#call('setTtl', (m) => m.setTtl(id, entryTtlMs(expiresAt, now)));
    } catch (error) {
      this.#onBackgroundError(error, 'ttl');
      const timer = setTimeout(() => void this.#repairTtl(id), this.#timeoutMs);
      (timer as { unref?: () => void }).unref?.();
    }
  }

  /**
   * Sets the TTL from the document as stored now, and again if it changed meanwhile (a writer that
   * came later sets its own TTL after its write, so the last one standing is right). Bounded.
   */
  async #repairTtl(id: string): Promise<void> {
    try {
      for (let round = 0; round < 3; round++) {
        const before = await this.#read(id);
        if (before?.kind !== 'session') return;
        await this.#call('setTtl', (m) => m.setTtl(id, entryTtlMs(before.data.expiresAt, Date.now())));
        const after = await this.#read(id);
        if (after?.kind !== 'session' || after.data.ver === before.data.ver) return;
      }
    } catch (error) {
      this.#onBackgroundError(error, 'ttl');
    }
  }

  /** Rewrites a foreign-formatted document as this store writes it; see #update. */
  async #normalize(id: string, stored: StoredValue & { kind: 'session' }, now: number) {
    const text = sessionText(stored.data);
    await this.#call('put', (m) => m.put(id, toJson(text), entryTtlMs(stored.data.expiresAt, now)));
    return { kind: 'session' as const, text, data: stored.data };
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
        if (stored.kind === 'session') await this.#applyTtl(oldId, stored.data.expiresAt, now);
      }
    } catch (error) {
      this.#onBackgroundError(error, 'rename');
    }
  }

  async #read(id: string): Promise<StoredValue | null> {
    const value: unknown = await this.#call('get', (m) => m.get(id));
    if (value === null || value === undefined) {
      this.#recent.forget(id);
      return null;
    }
    const stored = readStored(id, value);
    if (stored.kind === 'session') this.#recent.remember(id, stored);
    else this.#recent.forget(id);
    return stored;
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
      this.#onBackgroundError(
        new StoreUnavailableError(
          'could not add the principal index; find-by-principal scans the map instead (add a HASH index on ' +
            `"principal" to map "${this.mapName}" in the member configuration)`,
          { cause: error },
        ),
        'index',
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
 * The entry TTL for an absolute expiry. Members keep TTLs in whole seconds, truncated, counted from
 * the write time truncated to the second (measured on 5.6.0: a 1500 ms TTL is kept as 1 s, and a
 * 1000 ms TTL written at x.750 s expired 250 ms later). So: whole seconds rounded up, plus one, which
 * makes the member evict at or after `expiresAt`, never before (at most ~2 s after). Never 0 ("forever")
 * or negative ("the map's default").
 */
export function entryTtlMs(expiresAt: number, now: number): number {
  return (Math.ceil(Math.max(0, expiresAt - now) / 1000) + 1) * 1000;
}

function isDecodeCause(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'DECODE' &&
    isDeserializationError((error as { cause?: unknown }).cause)
  );
}
