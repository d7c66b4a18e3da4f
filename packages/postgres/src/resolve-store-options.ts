import { type Clock, SessionConfigError, systemClock } from '@sess/core';
import type { Client, Pool, PoolOptions } from 'pg';
import type { PostgresBackgroundSource, PostgresStoreOptions } from './postgres-store-options.js';
import { MAX_IDENTIFIER_LENGTH } from './sql-identifier.js';
import { type TableNames, tableNames } from './table-names.js';

/** The store's options after checking, every default filled in. */
export interface ResolvedStoreOptions {
  readonly pool: Pool;
  readonly names: TableNames;
  readonly events: boolean;
  readonly channel: string;
  readonly operationTimeoutMs: number;
  readonly preparedStatements: boolean;
  readonly coalesceStatements: boolean;
  readonly clock: Clock;
  readonly cleanupIntervalMs: number;
  readonly cleanupBatchSize: number;
  readonly listenHeartbeatMs: number;
  readonly onBackgroundError: (error: unknown, source: PostgresBackgroundSource) => void;
  /** Present exactly when events are on. */
  readonly createListenClient: (() => Client) | undefined;
}

export const DEFAULT_OPERATION_TIMEOUT_MS = 2000;
const CHANNEL_SHAPE = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

/** Checks every option (SessionConfigError on nonsense) and fills in the defaults. No I/O. */
export function resolveStoreOptions(options: PostgresStoreOptions): ResolvedStoreOptions {
  if (!options || typeof options.pool?.query !== 'function' || typeof options.pool.connect !== 'function') {
    throw new SessionConfigError('@sess/postgres: options.pool must be a pg Pool (new pg.Pool({...}))');
  }
  if ('queryTimeoutMs' in options) {
    throw new SessionConfigError('@sess/postgres: queryTimeoutMs is now called operationTimeoutMs');
  }
  const names = tableNames(options);
  const events = options.events ?? true;
  const cleanupBatchSize = positive('cleanupBatchSize', options.cleanupBatchSize ?? 500);
  if (!Number.isInteger(cleanupBatchSize))
    throw new SessionConfigError('@sess/postgres: cleanupBatchSize must be a whole number');
  return {
    pool: options.pool,
    names,
    events,
    channel: checkChannel(options.channel ?? `${names.schema}.${names.table}`),
    operationTimeoutMs: positive(
      'operationTimeoutMs',
      options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    ),
    preparedStatements: options.preparedStatements ?? true,
    coalesceStatements: options.coalesceStatements ?? true,
    clock: options.clock ?? systemClock,
    cleanupIntervalMs: nonNegative('cleanupIntervalMs', options.cleanupIntervalMs ?? 60_000),
    cleanupBatchSize,
    listenHeartbeatMs: nonNegative('listenHeartbeatMs', options.listenHeartbeatMs ?? 30_000),
    onBackgroundError:
      options.onBackgroundError ??
      ((error, source) => console.warn(`[@sess/postgres] background ${source} failed`, error)),
    createListenClient: events ? (options.createListenClient ?? poolClientFactory(options.pool)) : undefined,
  };
}

function checkChannel(channel: string): string {
  if (!CHANNEL_SHAPE.test(channel) || Buffer.byteLength(channel) > MAX_IDENTIFIER_LENGTH) {
    throw new SessionConfigError(
      `@sess/postgres: the NOTIFY channel ${JSON.stringify(channel)} is not usable: at most ` +
        `${MAX_IDENTIFIER_LENGTH} letters, digits, "_", ".", ":" or "-". Set the channel option.`,
    );
  }
  return channel;
}

/** The pool's own Client class and options: the LISTEN connection goes where the pool's connections go. */
function poolClientFactory(pool: Pool): () => Client {
  const ClientClass = (pool as unknown as { Client?: new (options: PoolOptions) => Client }).Client;
  if (typeof ClientClass !== 'function') {
    throw new SessionConfigError(
      '@sess/postgres: cannot derive a LISTEN connection from this pool; pass createListenClient (or events: false)',
    );
  }
  return () => new ClientClass(pool.options);
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new SessionConfigError(`@sess/postgres: ${name} must be a positive number`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new SessionConfigError(`@sess/postgres: ${name} must be 0 or a positive number`);
  }
  return value;
}
