import {
  type EventGap,
  isSessionError,
  SessionConflictError,
  type SessionRecord,
  type SessionStore,
  type SessionTouch,
  type SessionWrite,
  type StoreEvent,
  StoreUnavailableError,
} from '@sess/core';
import { CommandGuard } from './command-guard.js';
import { EventChannel } from './event-channel.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { KeyLayout } from './key-layout.js';
import { isCluster, type RedisClient } from './redis-client.js';
import {
  ABORT_MOVE,
  ADOPT,
  BEGIN_MOVE,
  DELETE,
  FINISH_MOVE,
  INDEX_ADD,
  MOVE,
  SAVE,
  TOUCH,
  UPDATE,
} from './redis-scripts.js';
import {
  type RedisBackgroundSource,
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
  resolveRedisStoreOptions,
} from './redis-store-options.js';
import { FIELD, pairsToHash, readRecord, writeFields } from './session-hash.js';

type Reply = (string | number)[];

/**
 * The Redis store: one hash per session, written by Lua scripts that touch only one bucket (one hash
 * slot), so it runs unchanged on standalone Redis, Sentinel and Redis Cluster. See the README's
 * "Storage details" for every key.
 */
export class RedisStore implements SessionStore {
  readonly name = 'redis';
  /** Where keys live; exposed for tools and tests that inspect Redis directly. */
  readonly layout: KeyLayout;
  readonly #client: RedisClient;
  readonly #guard: CommandGuard;
  readonly #channel: string;
  readonly #events: EventChannel | null;
  readonly #sweeper: ExpirySweeper | null;
  readonly #reportBackground: (error: unknown, source: RedisBackgroundSource) => void;
  readonly #keyspaceSetup: Promise<void>;
  /** Standalone or Sentinel: every key on one node, so one script may touch several buckets. */
  readonly #oneNode: boolean;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    const resolved = resolveRedisStoreOptions(options);
    this.#client = resolved.client;
    this.#oneNode = !isCluster(resolved.client);
    this.layout = new KeyLayout(resolved.prefix, resolved.buckets);
    this.#reportBackground = backgroundReporter(resolved);
    this.#guard = new CommandGuard(this.#client, resolved.operationTimeoutMs, resolved.batchWrites, (error) =>
      this.#reportBackground(error, 'repair'),
    );
    this.#channel = resolved.events ? this.layout.channel : '';
    // Subscribed from the start, not on first listener: Pub/Sub only delivers what is published after
    // SUBSCRIBE is acknowledged, and the first request may come right after startup.
    const keyspace = resolved.events && resolved.sweeper && resolved.keyspaceNotifications !== 'off';
    this.#events = resolved.events
      ? new EventChannel(
          this.#client,
          this.layout.channel,
          (error) => this.#reportBackground(error, 'events'),
          keyspace ? (key) => this.#keyExpired(key) : null,
        )
      : null;
    // Capabilities are the methods a store has: without events, hide the inherited subscribe().
    if (!resolved.events) {
      (this as { subscribe?: unknown }).subscribe = undefined;
      (this as { subscribeGaps?: unknown }).subscribeGaps = undefined;
    }
    this.#sweeper = resolved.sweeper
      ? new ExpirySweeper({
          client: this.#client,
          guard: this.#guard,
          layout: this.layout,
          intervalMs: resolved.sweepIntervalMs,
          batchSize: resolved.sweepBatchSize,
          channel: this.#channel,
          unindex: (principal, ids) => this.#unindex(principal, ids),
          onError: (error) => this.#reportBackground(error, 'sweep'),
        })
      : null;
    this.#sweeper?.start();
    // Sessions scheduled by any instance (heard on the channel) make the sweeper look at their bucket.
    if (this.#events && this.#sweeper) {
      const sweeper = this.#sweeper;
      this.#events.add((event) => {
        if (event.type === 'created' || event.type === 'id-changed')
          sweeper.scheduled(this.layout.bucketOf(event.sessionId));
      });
    }
    this.#keyspaceSetup =
      keyspace && resolved.keyspaceNotifications === 'configure'
        ? this.#enableKeyspaceNotifications().catch((error: unknown) =>
            this.#reportBackground(error, 'keyspace-config'),
          )
        : Promise.resolve();
  }

  /**
   * Resolves when the event subscription is active (immediately without events). Await it at startup
   * when events published right after startup must not be missed. Rejects after `timeoutMs`.
   */
  async ready(timeoutMs = 10_000): Promise<void> {
    if (!this.#events) return;
    const ready = Promise.all([this.#events.subscribed, this.#keyspaceSetup]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new StoreUnavailableError(`Redis event subscription not ready within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async load(id: string): Promise<SessionRecord | null> {
    const hash = await this.#guard.run('load', () => this.#client.hgetall(this.layout.session(id)));
    return readRecord(id, hash);
  }

  async save(write: SessionWrite): Promise<boolean> {
    const ttl = ttlOf(write.expiresAt, write.now);
    if (
      write.kind === 'update' &&
      write.principal === undefined &&
      write.removed.length === 0 &&
      write.set.size <= 400
    )
      return this.#update(write, ttl);
    // Index first, session second: a crash in between leaves a stale index entry (repaired when read),
    // never a session its principal's index does not list.
    const indexTtl = 2 * ttl;
    const principalMode = write.principal === undefined ? '' : write.principal === null ? 'clear' : 'set';
    // On one node, the index write and the session write go out together (one round trip; Redis runs
    // them in order); on a Cluster they may be on different nodes, so the index is written first.
    const indexed =
      typeof write.principal === 'string' ? this.#index(write.principal, write.id, indexTtl) : undefined;
    if (indexed && !this.#oneNode) await indexed;
    const fields = writeFields(write);
    const removed = write.removed.map((name) => `a:${name}`);
    const saving = this.#guard.script('save', SAVE, this.layout.sessionKeys(write.id), [
      write.kind,
      write.now,
      ttl,
      this.#channel,
      write.id,
      principalMode,
      write.principal ?? '',
      indexTtl,
      fields.length / 2,
      ...fields,
      ...removed,
    ]);
    const [reply] = (await Promise.all([saving, indexed])) as [Reply, unknown];
    const status = Number(reply[0]);
    if (write.kind === 'create') this.#sweeper?.scheduled(this.layout.bucketOf(write.id));
    if (status === -1) {
      throw new SessionConflictError('A session with this id already exists in Redis (create-if-absent)');
    }
    if (status !== 1) return false;
    const previous = reply[1] === 1 ? String(reply[2]) : null;
    if (previous !== null && principalMode !== '' && previous !== write.principal) {
      await this.#unindex(previous, [write.id]);
    }
    if (reply[3] === 1) await this.#index(String(reply[4]), write.id, Number(reply[5]));
    return true;
  }

  /** The common update (attributes and timestamps only) through the lean UPDATE script. */
  async #update(write: SessionWrite, ttl: number): Promise<boolean> {
    const [session, expiries] = this.layout.sessionKeys(write.id);
    const args: (string | number)[] = [write.now, ttl, write.expiresAt, write.id, ...writeFields(write)];
    const reply = (await this.#guard.script('save', UPDATE, [session, expiries], args)) as Reply;
    if (reply[0] !== 1) return false;
    if (reply[1] === 1) await this.#index(String(reply[2]), write.id, Number(reply[3]));
    return true;
  }

  async touch(touch: SessionTouch): Promise<boolean> {
    const [session, expiries] = this.layout.sessionKeys(touch.id);
    const reply = (await this.#guard.script(
      'touch',
      TOUCH,
      [session, expiries],
      [touch.now, ttlOf(touch.expiresAt, touch.now), touch.lastAccessedAt, touch.expiresAt, touch.id],
    )) as Reply;
    if (reply[0] !== 1) return false;
    if (reply[1] === 1) await this.#index(String(reply[2]), touch.id, Number(reply[3]));
    return true;
  }

  async delete(id: string): Promise<boolean> {
    const reply = (await this.#guard.script('delete', DELETE, this.layout.sessionKeys(id), [
      id,
      this.#channel,
    ])) as Reply;
    if (reply[1] === 1) await this.#unindex(String(reply[2]), [id]);
    return reply[0] === 1;
  }

  async findByPrincipal(principal: string): Promise<SessionRecord[]> {
    const index = this.layout.principalIndex(principal);
    const ids = await this.#guard.repairing('findByPrincipal', index, 'set', () =>
      this.#client.smembers(index),
    );
    const records: SessionRecord[] = [];
    const stale: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        let record: SessionRecord | null;
        try {
          record = await this.load(id);
        } catch (error) {
          // One unreadable session must not keep a user from listing or revoking the others; it is
          // reported (and removed) by core when loaded by id.
          if (isSessionError(error) && error.code === 'DECODE') return;
          throw error;
        }
        if (record === null || record.principal !== principal) stale.push(id);
        else records.push(record);
      }),
    );
    if (stale.length > 0) await this.#unindex(principal, stale);
    return records;
  }

  async changeId(oldId: string, newId: string, now: number): Promise<boolean> {
    if (this.#oneNode) return this.#move(oldId, newId, now);
    const oldKeys = this.layout.sessionKeys(oldId);
    const begun = (await this.#guard.script('changeId', BEGIN_MOVE, oldKeys, [now, newId, oldId])) as Reply;
    if (begun[0] !== 1) return false;
    const ttl = Number(begun[1]);
    const undo = [newId, oldId, String(begun[2]), String(begun[3]), String(begun[4])];
    const hash = pairsToHash(begun[5] as unknown as string[]);
    const principal = Object.hasOwn(hash, FIELD.principal) ? hash[FIELD.principal]! : null;
    const fields: string[] = [];
    for (const [field, value] of Object.entries(hash)) {
      if (field !== FIELD.moving && field !== FIELD.indexedUntil) fields.push(field, value);
    }
    try {
      if (principal !== null) await this.#index(principal, newId, 2 * ttl);
      const adopted = await this.#guard.script('changeId', ADOPT, this.layout.sessionKeys(newId), [
        ttl,
        newId,
        oldId,
        this.#channel,
        principal === null ? '0' : '1',
        principal ?? '',
        2 * ttl,
        fields.length / 2,
        ...fields,
      ]);
      if (adopted === -1) {
        throw new SessionConflictError(
          'Cannot change the session id: a session with the new id already exists',
        );
      }
    } catch (error) {
      // Put the old session back so the request can be retried; if Redis is unreachable for this too,
      // the old session stays marked and is gone (fail closed), and the new one was never handed out.
      await this.#guard
        .run('changeId', () => ABORT_MOVE.run(this.#client, oldKeys, undo))
        .catch(() => undefined);
      throw error;
    }
    this.#sweeper?.scheduled(this.layout.bucketOf(newId));
    await Promise.all([
      this.#guard.run('changeId', () => FINISH_MOVE.run(this.#client, [oldKeys[0]], [newId])),
      principal === null ? undefined : this.#unindex(principal, [oldId]),
    ]);
    return true;
  }

  /** changeId in one script and one round trip, where all keys are on one node (not Cluster). */
  async #move(oldId: string, newId: string, now: number): Promise<boolean> {
    const reply = (await this.#guard.script(
      'changeId',
      MOVE,
      [...this.layout.sessionKeys(oldId), ...this.layout.sessionKeys(newId)],
      [now, newId, oldId, this.#channel, this.layout.indexKeyPrefix],
    )) as Reply;
    if (reply[0] === -1) {
      throw new SessionConflictError(
        'Cannot change the session id: a session with the new id already exists',
      );
    }
    if (reply[0] !== 1) return false;
    this.#sweeper?.scheduled(this.layout.bucketOf(newId));
    if (reply[1] === 1) this.#guard.reportRepair(`${this.layout.indexKeyPrefix}…}`, 'set');
    return true;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    if (!this.#events || this.#closed) return () => undefined;
    return this.#events.add(listener);
  }

  /**
   * Reports each span in which this instance's event subscription was down (Redis restarted, a
   * failover, a network cut), once it is subscribed again: events published meanwhile were missed.
   */
  subscribeGaps(listener: (gap: EventGap) => void): () => void {
    if (!this.#events || this.#closed) return () => undefined;
    return this.#events.addGapListener(listener);
  }

  /** Runs one expiry sweep over all buckets now; resolves how many expiries it reported. */
  async sweepExpired(): Promise<number> {
    if (!this.#sweeper) return 0;
    return this.#sweeper.sweep();
  }

  /** Stops the sweeper and closes the subscriber connection. The user's client stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#sweeper?.stop(), this.#events?.close()]);
  }

  #keyExpired(key: string): void {
    const bucket = this.layout.bucketOfSessionKey(key);
    if (bucket !== null) this.#sweeper?.sweepSoon(bucket);
  }

  /** Adds E (keyevent) and x (expired) to notify-keyspace-events on every master, keeping what is set. */
  async #enableKeyspaceNotifications(): Promise<void> {
    const client = this.#client;
    if (client.status !== 'ready') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('Redis not ready: keyspace notifications not configured')),
          10_000,
        );
        timer.unref();
        client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const nodes = isCluster(client) ? client.nodes('master') : [client];
    await Promise.all(
      nodes.map(async (node) => {
        const reply = (await node.config('GET', 'notify-keyspace-events')) as unknown as string[];
        const current = reply[1] ?? '';
        const wanted = current.includes('A') ? ['E'] : ['E', 'x'];
        const missing = wanted.filter((flag) => !current.includes(flag));
        if (missing.length > 0)
          await node.config('SET', 'notify-keyspace-events', current + missing.join(''));
      }),
    );
  }

  async #index(principal: string, id: string, ttl: number): Promise<void> {
    const index = this.layout.principalIndex(principal);
    const reply = await this.#guard.run('index', () => INDEX_ADD.run(this.#client, [index], [id, ttl]));
    if (reply === 2) this.#guard.reportRepair(index, 'set');
  }

  async #unindex(principal: string, ids: string[]): Promise<void> {
    const index = this.layout.principalIndex(principal);
    await this.#guard.repairing('index', index, 'set', () => this.#client.srem(index, ...ids));
  }
}

/** TTL for Redis, relative to core's `now`: immune to skew between the application's and Redis' clocks. */
function ttlOf(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil(expiresAt - now));
}

/** Background errors go to the user's hook, or to console.warn at most once a minute (outages repeat). */
function backgroundReporter(
  options: ResolvedRedisStoreOptions,
): (error: unknown, source: RedisBackgroundSource) => void {
  const hook = options.onBackgroundError;
  if (hook) {
    return (error, source) => {
      try {
        hook(error, source);
      } catch {
        // A throwing hook must not stop the sweeper or the subscriber.
      }
    };
  }
  let last = 0;
  return (error, source) => {
    const now = options.clock.now();
    if (now - last > 60_000) console.warn(`[@sess/redis] background work (${source}) failed:`, error);
    last = now;
  };
}

/** Shorthand for `new RedisStore(options)`. */
export function redisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(options);
}
