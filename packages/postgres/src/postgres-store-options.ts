import type { Clock } from '@sess/core';
import type { Client, Pool } from 'pg';

export interface PostgresStoreOptions {
  /** A pg Pool you built and own. The store never ends it. */
  pool: Pool;
  /** Schema of the sessions table. Default "public". */
  schema?: string;
  /** Name of the sessions table. Default "sess_sessions". */
  table?: string;
  /**
   * Deliver events (created, deleted, expired, id-changed) across instances through LISTEN/NOTIFY.
   * Default true. When false, core raises the events this process causes instead and no NOTIFY is
   * sent: turn it off when nothing listens to session events.
   */
  events?: boolean;
  /** NOTIFY channel. Default "<schema>.<table>". Letters, digits, "_", ".", ":" and "-"; at most 63. */
  channel?: string;
  /**
   * Builds the dedicated LISTEN connection (a new, unconnected pg Client each call). Default: a client
   * of the pool's own Client class with the pool's options.
   */
  createListenClient?: () => Client;
  /**
   * Longest wait for any one database call, connection checkout and queueing included, in ms. Past it
   * the call rejects with StoreUnavailableError (a write that timed out may still have been applied).
   * Also passed to pg as query_timeout, so a stuck connection is dropped from the pool. Default 2000:
   * a stalled database (a locked table, a hung connection) fails requests fast rather than holding
   * them; raise it if your database is expected to answer slower than that under load.
   */
  operationTimeoutMs?: number;
  /**
   * Use named prepared statements (parsed and planned once per connection). Default true. Turn off
   * behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements?: boolean;
  /**
   * Coalesce concurrent session loads, and concurrent updates, into shared statements once a third of
   * the pool is busy with them (see the README's "Performance"). Default true. False sends every load
   * and update as its own statement and leaves queueing to the pool: one statement per request in logs
   * and pg_stat_statements, at the cost of throughput under load.
   */
  coalesceStatements?: boolean;
  /** How often this instance removes expired sessions, in ms; 0 turns the timer off. Default 60 000. */
  cleanupIntervalMs?: number;
  /** Sessions removed per cleanup statement. Default 500. */
  cleanupBatchSize?: number;
  /** Must be the clock the repository uses (cleanup decides expiry with it). Default: the system clock. */
  clock?: Clock;
  /** How often the LISTEN connection is checked with a `SELECT 1`, in ms; 0 turns it off. Default 30 000. */
  listenHeartbeatMs?: number;
  /**
   * Called for failures of background work (the cleanup timer, the LISTEN connection, sending events),
   * which has no caller to throw to. Default: console.warn. Request-path calls throw instead.
   */
  onBackgroundError?: (error: unknown, source: PostgresBackgroundSource) => void;
}

/** Where a background failure happened: the cleanup timer, the LISTEN connection, or sending NOTIFYs. */
export type PostgresBackgroundSource = 'cleanup' | 'listen' | 'notify';
