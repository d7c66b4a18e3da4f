import { createHash, randomBytes } from 'node:crypto';
import {
  type Clock,
  type EventGap,
  SessionConflictError,
  SessionDecodeError,
  type SessionRecord,
  type SessionStore,
  type SessionTouch,
  type SessionWrite,
  type StoreEvent,
  type UnreadableSession,
} from '@sess/core';
import { ListenerSet } from '@sess/core/store';
import type { Client, Pool, QueryConfig, QueryResult } from 'pg';
import { attributesJson, parseAttributes, storedName } from './attribute-document.js';
import { isStatementDataError, sqlState, toStoreError, UNIQUE_VIOLATION } from './database-errors.js';
import { decodePayload } from './event-payload.js';
import { EventPublisher } from './event-publisher.js';
import { type MigrationResult, migrateTable } from './migrate.js';
import { NotificationListener } from './notification-listener.js';
import type { PostgresBackgroundSource, PostgresStoreOptions } from './postgres-store-options.js';
import { type ResolvedStoreOptions, resolveStoreOptions } from './resolve-store-options.js';
import { type SessionStatements, sessionStatements } from './session-statements.js';
import { StatementBatcher } from './statement-batcher.js';
import { checkIdleTimeout, checkPrincipal, checkTime, isStorablePrincipal } from './storable-values.js';
import type { TableNames } from './table-names.js';
import { withDeadline } from './with-deadline.js';

interface SessionRow {
  id: string;
  principal: string | null;
  created_at: number;
  last_accessed_at: number;
  max_inactive_ms: number;
  absolute_expires_at: number | null;
  expires_at: number;
  attributes: string;
}

interface ChangedRow {
  id: string;
  principal: string | null;
}
/** One session's delta, as the update statements take it. */
interface SessionUpdate {
  id: string;
  now: number;
  lastAccessedAt: number;
  maxInactiveMs: number;
  expiresAt: number;
  /** undefined: unchanged. */
  principal: string | null | undefined;
  /** Stored names of removed attributes, or null. */
  removed: string[] | null;
  /** The set attributes as a JSON object text, or null. */
  set: string | null;
}

/** Most sessions one batched load or update statement carries. */
const BATCH_LIMIT = 64;

/**
 * The PostgreSQL session store on a pg Pool you own: one row per session, attributes in a jsonb
 * object, every operation a single statement (deltas merged server-side), cleanup in SKIP LOCKED
 * batches, and events across instances over LISTEN/NOTIFY.
 */
export class PostgresStore implements SessionStore {
  readonly name = 'postgres';
  /** Present only when events are on (the capability follows it). */
  readonly subscribe?: (listener: (event: StoreEvent) => void) => () => void;
  /**
   * Reports each span in which this instance's LISTEN connection was down (database restart,
   * terminated backend, network cut), once it listens again: notifications sent meanwhile were missed.
   * Only while someone is subscribed to events (the store listens only then).
   */
  readonly subscribeGaps?: (listener: (gap: EventGap) => void) => () => void;
  /** Schema and table this store works on. */
  readonly schema: string;
  readonly table: string;
  readonly #pool: Pool;
  readonly #names: TableNames;
  readonly #sql: SessionStatements;
  readonly #events: boolean;
  readonly #channel: string;
  /** Tags this instance's NOTIFYs: it delivers its own events directly and ignores their echo. */
  readonly #origin = randomBytes(6).toString('base64url');
  readonly #timeoutMs: number;
  readonly #prepared: boolean;
  readonly #statementNames = new Map<string, string>();
  readonly #clock: Clock;
  readonly #cleanupIntervalMs: number;
  readonly #cleanupBatchSize: number;
  readonly #listenHeartbeatMs: number;
  readonly #createListenClient: (() => Client) | undefined;
  readonly #onBackgroundError: (error: unknown, source: PostgresBackgroundSource) => void;
  // A foreign subscriber's failure must not break the store (core wraps its own listeners).
  readonly #listeners = new ListenerSet<StoreEvent>(() => undefined);
  readonly #gapListeners = new ListenerSet<EventGap>((error) => this.#onBackgroundError(error, 'listen'));
  readonly #publisher: EventPublisher | null;
  /** Loads and updates coalesced across concurrent requests (see statement-batcher.ts). */
  readonly #loads: StatementBatcher<string, SessionRow | undefined>;
  readonly #updates: StatementBatcher<SessionUpdate, boolean>;
  #listener: NotificationListener | null = null;
  #cleanupTimer: ReturnType<typeof setTimeout> | undefined;
  #cleanupRun: Promise<void> | undefined;
  #closed = false;

  constructor(options: PostgresStoreOptions) {
    const resolved = resolveStoreOptions(options);
    this.#pool = resolved.pool;
    this.#names = resolved.names;
    this.schema = resolved.names.schema;
    this.table = resolved.names.table;
    this.#events = resolved.events;
    this.#channel = resolved.channel;
    this.#timeoutMs = resolved.operationTimeoutMs;
    this.#prepared = resolved.preparedStatements;
    this.#clock = resolved.clock;
    this.#cleanupIntervalMs = resolved.cleanupIntervalMs;
    this.#cleanupBatchSize = resolved.cleanupBatchSize;
    this.#listenHeartbeatMs = resolved.listenHeartbeatMs;
    this.#onBackgroundError = resolved.onBackgroundError;
    this.#createListenClient = resolved.createListenClient;
    this.#sql = sessionStatements(this.#names);
    this.#loads = this.#batcher(
      resolved,
      (ids) => this.#loadRows(ids),
      (id) => id,
      false,
    );
    this.#updates = this.#batcher(
      resolved,
      (updates) => this.#update(updates),
      (u) => u.id,
      true,
    );
    this.#publisher = this.#events ? this.#eventPublisher() : null;
    if (this.#events) {
      this.subscribe = (listener) => this.#subscribe(listener);
      this.subscribeGaps = (listener) => (this.#closed ? () => undefined : this.#gapListeners.add(listener));
    }
    this.#scheduleCleanup();
  }

  /** Creates or upgrades the sessions table (idempotent; safe from many processes at once). */
  migrate(): Promise<MigrationResult> {
    return migrateTable(this.#pool, this.#names, this.#timeoutMs);
  }

  async load(id: string): Promise<SessionRecord | null> {
    const row = await this.#batched(this.#loads.submit(id), 'load');
    return row ? toRecord(row) : null;
  }

  /** A row that cannot be read comes back as `{ id, unreadable }`: core reports and removes it. */
  async findByPrincipal(principal: string): Promise<Array<SessionRecord | UnreadableSession>> {
    // No session can have a principal the column cannot hold: nothing to look up.
    if (!isStorablePrincipal(principal)) return [];
    const result = await this.#query<SessionRow>('findByPrincipal', this.#sql.findByPrincipal, [principal]);
    const records: Array<SessionRecord | UnreadableSession> = [];
    for (const row of result.rows) {
      try {
        records.push(toRecord(row));
      } catch (error) {
        const unreadable =
          error instanceof SessionDecodeError
            ? error
            : new SessionDecodeError('@sess/postgres: a stored session is unreadable', { cause: error });
        records.push({ id: row.id, unreadable });
      }
    }
    return records;
  }

  async save(write: SessionWrite): Promise<boolean> {
    checkStorable(write);
    if (write.kind === 'create') return this.#create(write);
    return this.#batched(
      this.#updates.submit({
        id: write.id,
        now: write.now,
        lastAccessedAt: write.lastAccessedAt,
        maxInactiveMs: write.maxInactiveMs,
        expiresAt: write.expiresAt,
        principal: write.principal,
        removed: write.removed.length > 0 ? write.removed.map(storedName) : null,
        set: write.set.size > 0 ? attributesJson(write.set) : null,
      }),
      'save',
    );
  }

  async touch(touch: SessionTouch): Promise<boolean> {
    checkTime('lastAccessedAt', touch.lastAccessedAt);
    checkTime('expiresAt', touch.expiresAt);
    checkTime('now', touch.now);
    const result = await this.#query('touch', this.#sql.touch, [
      touch.id,
      touch.now,
      touch.lastAccessedAt,
      touch.expiresAt,
    ]);
    return result.rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#query<ChangedRow>('delete', this.#sql.delete, [id]);
    const row = result.rows[0];
    if (row) this.#emit({ type: 'deleted', sessionId: id, principal: row.principal });
    return row !== undefined;
  }

  async changeId(oldId: string, newId: string, now: number): Promise<boolean> {
    const result = await this.#query<ChangedRow>(
      'changeId',
      this.#sql.changeId,
      [oldId, newId, now],
      'A session with the new id already exists',
    );
    const row = result.rows[0];
    if (row)
      this.#emit({ type: 'id-changed', sessionId: newId, previousId: oldId, principal: row.principal });
    return row !== undefined;
  }

  /**
   * Removes every session expired at `now`, one bounded batch per statement until a batch comes back
   * short. Safe to run from many instances at once: each batch skips rows another one has locked.
   */
  async cleanupExpired(now: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const result = await this.#query<ChangedRow>('cleanupExpired', this.#sql.cleanup, [
        now,
        this.#cleanupBatchSize,
      ]);
      for (const row of result.rows)
        this.#emit({ type: 'expired', sessionId: row.id, principal: row.principal });
      const count = result.rowCount ?? 0;
      removed += count;
      if (count < this.#cleanupBatchSize || this.#closed) return removed;
    }
  }

  /**
   * Stops the cleanup timer (waiting for a run in progress) and the LISTEN connection. The pool is
   * yours and stays open.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#cleanupTimer !== undefined) clearTimeout(this.#cleanupTimer);
    this.#cleanupTimer = undefined;
    this.#listeners.clear();
    this.#gapListeners.clear();
    const listener = this.#listener;
    this.#listener = null;
    await Promise.all([this.#cleanupRun, listener?.stop()]);
    // Events of the last operations still reach the other instances.
    await withDeadline(this.#publisher?.drain() ?? Promise.resolve(), this.#timeoutMs).catch(() => undefined);
  }

  /**
   * Coalesces one kind of statement. Each kind may use a third of the pool at once, so loads and
   * updates leave room for the other and for everything else the application runs on its pool.
   * Without coalescing: batches of one, never held back (the pool queues what it cannot run yet).
   */
  #batcher<I, R>(
    resolved: ResolvedStoreOptions,
    run: (items: I[]) => Promise<R[]>,
    keyOf: (item: I) => string,
    distinct: boolean,
  ): StatementBatcher<I, R> {
    const coalesce = resolved.coalesceStatements;
    const poolSize = (this.#pool as { options?: { max?: number } }).options?.max ?? 10;
    return new StatementBatcher<I, R>({
      run,
      keyOf,
      distinct,
      concurrency: coalesce ? Math.max(1, Math.floor(poolSize / 3)) : Number.POSITIVE_INFINITY,
      maxBatch: coalesce ? BATCH_LIMIT : 1,
      // A shared statement the server refused for one session's data: each session runs alone.
      retryAlone: isStatementDataError,
    });
  }

  #eventPublisher(): EventPublisher {
    return new EventPublisher({
      origin: this.#origin,
      send: async (payloads) => {
        await this.#query('NOTIFY', NOTIFY_SQL, [this.#channel, payloads]);
      },
      onError: (error) => this.#onBackgroundError(error, 'notify'),
    });
  }

  /** A batched call, bounded by the deadline from the moment it was asked for (queueing included). */
  #batched<T>(work: Promise<T>, operation: string): Promise<T> {
    return withDeadline(work, this.#timeoutMs, operation).catch((error: unknown) => {
      throw toStoreError(error, operation);
    });
  }

  /** Rows of these sessions, in the order of `ids` (undefined: no such session). One statement. */
  async #loadRows(ids: string[]): Promise<(SessionRow | undefined)[]> {
    if (ids.length === 1)
      return (await this.#query<SessionRow>('load', this.#sql.load, ids)).rows.slice(0, 1);
    const result = await this.#query<SessionRow>('load', this.#sql.loadMany, [[...new Set(ids)]]);
    const byId = new Map<string, SessionRow>();
    for (const row of result.rows) byId.set(row.id, row);
    // Callers of one id share the row; each builds its own record from it.
    return ids.map((id) => byId.get(id));
  }

  /** Applies these deltas (distinct sessions), each atomically, in one statement; true where applied. */
  async #update(updates: SessionUpdate[]): Promise<boolean[]> {
    if (updates.length === 1) {
      const u = updates[0]!;
      const values: unknown[] = [u.id, u.now, u.lastAccessedAt, u.maxInactiveMs, u.expiresAt];
      if (u.principal !== undefined) values.push(u.principal);
      if (u.removed) values.push(u.removed);
      if (u.set !== null) values.push(u.set);
      const text = this.#sql.update(u.principal !== undefined, u.set !== null, u.removed !== null);
      const result = await this.#query('save', text, values);
      return [result.rowCount === 1];
    }
    const result = await this.#query<{ id: string }>('save', this.#sql.updateMany, [
      updates.map((u) => u.id),
      updates.map((u) => u.now),
      updates.map((u) => u.lastAccessedAt),
      updates.map((u) => u.maxInactiveMs),
      updates.map((u) => u.expiresAt),
      updates.map((u) => u.principal !== undefined),
      updates.map((u) => u.principal ?? null),
      updates.map((u) => (u.removed ? JSON.stringify(u.removed) : null)),
      updates.map((u) => u.set),
    ]);
    const applied = new Set(result.rows.map((row) => row.id));
    return updates.map((u) => applied.has(u.id));
  }

  async #create(write: SessionWrite): Promise<boolean> {
    const principal = write.principal ?? null;
    const result = await this.#query('save', this.#sql.create, [
      write.id,
      principal,
      write.createdAt,
      write.lastAccessedAt,
      write.maxInactiveMs,
      write.absoluteExpiresAt,
      write.expiresAt,
      attributesJson(write.set),
    ]);
    if (result.rowCount !== 1) {
      throw new SessionConflictError(
        '@sess/postgres: a session with this id already exists; not overwritten',
      );
    }
    this.#emit({ type: 'created', sessionId: write.id, principal });
    return true;
  }

  /**
   * Every database call goes through here: pool.query (which checks a client out and always returns
   * it, discarding it after an error), bounded by the deadline, with failures typed.
   */
  async #query<R extends object = Record<string, unknown>>(
    operation: string,
    text: string,
    values: unknown[],
    conflictMessage?: string,
  ): Promise<QueryResult<R>> {
    const config: QueryConfig & { query_timeout: number } = { text, values, query_timeout: this.#timeoutMs };
    if (this.#prepared) config.name = this.#statementName(text);
    try {
      return await withDeadline(this.#pool.query<R>(config), this.#timeoutMs, operation);
    } catch (error) {
      if (conflictMessage !== undefined && sqlState(error) === UNIQUE_VIOLATION) {
        throw new SessionConflictError(`@sess/postgres: ${conflictMessage}`, { cause: error });
      }
      throw toStoreError(error, operation);
    }
  }

  /** A stable name per statement text, so every store over the same table shares the prepared plan. */
  #statementName(text: string): string {
    let name = this.#statementNames.get(text);
    if (name === undefined) {
      name = `sess_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
      this.#statementNames.set(text, name);
    }
    return name;
  }

  #subscribe(listener: (event: StoreEvent) => void): () => void {
    if (this.#closed) return () => undefined;
    const remove = this.#listeners.add(listener);
    if (this.#listener === null && this.#createListenClient) {
      this.#listener = new NotificationListener({
        channel: this.#channel,
        createClient: this.#createListenClient,
        onPayload: (payload) => this.#onNotification(payload),
        onGap: (from, to) => this.#gapListeners.emit({ from, to }),
        onError: (error) => this.#onBackgroundError(toStoreError(error, 'LISTEN'), 'listen'),
        connectTimeoutMs: this.#timeoutMs,
        heartbeatMs: this.#listenHeartbeatMs,
        minBackoffMs: 100,
        maxBackoffMs: 5000,
      });
    }
    this.#listener?.start();
    return () => {
      remove();
      // Nobody left to tell: give the connection back until someone subscribes again.
      if (this.#listeners.size === 0 && this.#listener) void this.#listener.stop();
    };
  }

  #onNotification(payload: string): void {
    for (const event of decodePayload(payload, this.#origin)) this.#listeners.emit(event);
  }

  /**
   * This instance's own events go to its listeners at once (no round trip, and not lost while its
   * LISTEN connection is down); other instances hear them by NOTIFY, and this one ignores the echo.
   */
  #emit(event: StoreEvent): void {
    if (!this.#publisher) return;
    this.#publisher.publish(event);
    this.#listeners.emit(event);
  }

  #scheduleCleanup(): void {
    if (this.#closed || this.#cleanupIntervalMs === 0) return;
    // Jitter keeps instances started together from sweeping in lockstep.
    const delay = this.#cleanupIntervalMs * (0.75 + Math.random() * 0.5);
    this.#cleanupTimer = setTimeout(() => {
      this.#cleanupTimer = undefined;
      this.#cleanupRun = this.cleanupExpired(this.#clock.now())
        .then(
          () => undefined,
          (error: unknown) => {
            if (!this.#closed) this.#onBackgroundError(error, 'cleanup');
          },
        )
        .finally(() => {
          this.#cleanupRun = undefined;
          this.#scheduleCleanup();
        });
    }, delay);
    // Never keep the process alive just to clean up.
    this.#cleanupTimer.unref?.();
  }
}

/** Shorthand for `new PostgresStore(options)`. */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}

/** One statement (one transaction) for a whole batch of payloads. */
const NOTIFY_SQL = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload';

function toRecord(row: SessionRow): SessionRecord {
  const { created_at, last_accessed_at, max_inactive_ms, absolute_expires_at, expires_at } = row;
  if (
    !Number.isFinite(created_at) ||
    !Number.isFinite(last_accessed_at) ||
    !(max_inactive_ms > 0) ||
    !Number.isFinite(max_inactive_ms) ||
    !Number.isFinite(expires_at) ||
    (absolute_expires_at !== null && !Number.isFinite(absolute_expires_at))
  ) {
    throw new SessionDecodeError('@sess/postgres: stored session timestamps are unreadable');
  }
  return {
    id: row.id,
    createdAt: created_at,
    lastAccessedAt: last_accessed_at,
    maxInactiveMs: max_inactive_ms,
    absoluteExpiresAt: absolute_expires_at,
    expiresAt: expires_at,
    principal: row.principal,
    attributes: parseAttributes(row.attributes),
  };
}

/** Refuses, for this write alone, what PostgreSQL could not store (see storable-values.ts). */
function checkStorable(write: SessionWrite): void {
  checkPrincipal(write.principal);
  checkTime('createdAt', write.createdAt);
  checkTime('lastAccessedAt', write.lastAccessedAt);
  checkTime('absoluteExpiresAt', write.absoluteExpiresAt);
  checkTime('expiresAt', write.expiresAt);
  checkTime('now', write.now);
  checkIdleTimeout(write.maxInactiveMs);
}
