import { type Clock, SessionConfigError, systemClock } from '@sess/core';
import type { RedisClient } from './redis-client.js';

export interface RedisStoreOptions {
  /**
   * An ioredis `Redis` (standalone or Sentinel) or `Cluster` you built and own. The store never closes
   * it. Recommended: `enableOfflineQueue: false` and a small `maxRetriesPerRequest` (see the README).
   */
  client: RedisClient;
  /**
   * Prepended to every key and to the event channel. Default "sess:". May not contain "{" or "}": every
   * key is the prefix followed by a "{...}" hash tag, so the keys of two distinct prefixes never meet,
   * even when one prefix starts with the other ("app:" and "app:p:").
   */
  prefix?: string;
  /**
   * How many hash-tag buckets sessions are spread over (1..16384). Each bucket is one cluster slot that
   * holds its sessions and their expiry schedule. Fixed for the life of a prefix: changing it makes
   * existing sessions unreachable. Default 64.
   */
  buckets?: number;
  /**
   * Every operation settles within this many ms or rejects with StoreUnavailableError. Default 2000: a
   * stalled Redis fails requests fast (503) instead of holding them; raise it if your Redis has
   * legitimate pauses longer than that (large snapshots on a slow disk, failovers you prefer to wait out).
   */
  operationTimeoutMs?: number;
  /**
   * Send the commands this store issues within one event-loop iteration in one socket write (the
   * store corks the client's socket until `setImmediate`), instead of one write system call per
   * command. Standalone and Sentinel clients only; skipped when the client has `enableAutoPipelining`.
   * Default true.
   */
  batchWrites?: boolean;
  /**
   * Publish and deliver created / deleted / expired / id-changed events across processes (declares the
   * `events` capability). Opens one extra subscriber connection per store. Default true.
   */
  events?: boolean;
  /**
   * Run the expiry sweeper in this process: reports 'expired' events and clears the expiry schedule
   * and index entries of expired sessions. At least one process per prefix must run it. Default true.
   */
  sweeper?: boolean;
  /** How often the sweeper passes over all buckets, in ms (>= 50). Default 1000. */
  sweepIntervalMs?: number;
  /** Expired sessions handled per bucket per script call (>= 1). Default 500. */
  sweepBatchSize?: number;
  /**
   * Redis keyspace notifications for expired keys, used only to sweep sooner after an expiry (the
   * sweeper works without them). 'off' (default); 'listen': use them if the server has them enabled
   * (notify-keyspace-events containing E and x, or A); 'configure': also try to enable them with
   * CONFIG SET on every master at startup (needs CONFIG rights; failures are reported, not fatal).
   */
  keyspaceNotifications?: 'off' | 'listen' | 'configure';
  /**
   * Errors of background work, and repairs, with where they happened (see RedisBackgroundSource).
   * Request-path errors are thrown to the caller instead. Default: console.warn, at most once a minute.
   */
  onBackgroundError?: (error: unknown, source: RedisBackgroundSource) => void;
  /**
   * Core's Clock, for what the store itself times: how often the default background reporter may warn.
   * (Session times come from core with every write; the sweeper's timers and Redis' TTLs run in real
   * time.) Default: the system clock.
   */
  clock?: Clock;
}

/**
 * Where background work failed or a repair happened:
 * - 'sweep': the expiry sweeper (Redis unreachable, a script failed);
 * - 'events': the event subscriber connection, or an unreadable event message;
 * - 'keyspace-config': enabling keyspace notifications with CONFIG SET;
 * - 'index': removing principal-index entries of expired or moved sessions;
 * - 'repair': a bookkeeping key (principal index, expiry schedule, owner map) held a value of the wrong
 *   type; the store replaced it and carried on (the error says which key).
 */
export type RedisBackgroundSource = 'sweep' | 'events' | 'keyspace-config' | 'index' | 'repair';

export interface ResolvedRedisStoreOptions {
  client: RedisClient;
  prefix: string;
  buckets: number;
  operationTimeoutMs: number;
  batchWrites: boolean;
  events: boolean;
  sweeper: boolean;
  sweepIntervalMs: number;
  sweepBatchSize: number;
  keyspaceNotifications: 'off' | 'listen' | 'configure';
  onBackgroundError: ((error: unknown, source: RedisBackgroundSource) => void) | null;
  clock: Clock;
}

export function resolveRedisStoreOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  const client = options?.client;
  if (
    !client ||
    typeof client !== 'object' ||
    typeof (client as { evalsha?: unknown }).evalsha !== 'function'
  ) {
    throw new SessionConfigError('RedisStore needs `client`: an ioredis Redis or Cluster instance');
  }
  const prefix = options.prefix ?? 'sess:';
  if (typeof prefix !== 'string') throw new SessionConfigError('RedisStore `prefix` must be a string');
  if (/[{}]/.test(prefix)) {
    throw new SessionConfigError(
      `RedisStore \`prefix\` ${JSON.stringify(prefix)} contains "{" or "}": the store puts its own hash tag right after the prefix, which is what keeps the keys of different prefixes apart; use another separator`,
    );
  }
  if ('commandTimeoutMs' in options) {
    throw new SessionConfigError('RedisStore `commandTimeoutMs` is now `operationTimeoutMs`');
  }
  if (options.onBackgroundError !== undefined && typeof options.onBackgroundError !== 'function') {
    throw new SessionConfigError('RedisStore `onBackgroundError` must be a function');
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') throw new SessionConfigError('RedisStore `clock` must have now()');
  return {
    client,
    prefix,
    buckets: integer('buckets', options.buckets ?? 64, 1, 16384),
    operationTimeoutMs: integer('operationTimeoutMs', options.operationTimeoutMs ?? 2000, 1, 600_000),
    batchWrites: options.batchWrites ?? true,
    events: options.events ?? true,
    sweeper: options.sweeper ?? true,
    sweepIntervalMs: integer('sweepIntervalMs', options.sweepIntervalMs ?? 1000, 50, 3_600_000),
    sweepBatchSize: integer('sweepBatchSize', options.sweepBatchSize ?? 500, 1, 100_000),
    keyspaceNotifications: keyspace(options.keyspaceNotifications ?? 'off'),
    onBackgroundError: options.onBackgroundError ?? null,
    clock,
  };
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SessionConfigError(`RedisStore \`${name}\` must be an integer from ${min} to ${max}`);
  }
  return value;
}

function keyspace(value: string): 'off' | 'listen' | 'configure' {
  if (value === 'off' || value === 'listen' || value === 'configure') return value;
  throw new SessionConfigError("RedisStore `keyspaceNotifications` must be 'off', 'listen' or 'configure'");
}
