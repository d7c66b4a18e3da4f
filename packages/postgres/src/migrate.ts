import type { Pool, PoolClient } from 'pg';
import { toStoreError } from './database-errors.js';
import {
  LATEST_SCHEMA_VERSION,
  migrationLockSql,
  migrationsTableSql,
  SCHEMA_MIGRATIONS,
} from './schema-migrations.js';
import { type TableNames, tableNames } from './table-names.js';
import { withDeadline } from './with-deadline.js';

export interface MigrateOptions {
  pool: Pool;
  schema?: string;
  table?: string;
  /** Longest wait for a connection from the pool, in ms. Default 5000. */
  connectTimeoutMs?: number;
}

export interface MigrationResult {
  /** Schema version before this call (0: nothing was there). */
  readonly from: number;
  /** Schema version now. */
  readonly to: number;
  /** Versions this call applied, in order (empty when the schema was already current). */
  readonly applied: readonly number[];
}

/**
 * Brings the sessions table to the latest schema version. Idempotent, and safe when many processes
 * call it at once: one transaction under an advisory lock, steps recorded in "<table>_migrations".
 * When everything is current it runs no DDL at all (so it never waits on locks held by traffic).
 */
export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
  return migrateTable(options.pool, tableNames(options), options.connectTimeoutMs ?? 5000);
}

export async function migrateTable(
  pool: Pool,
  names: TableNames,
  connectTimeoutMs: number,
): Promise<MigrationResult> {
  let client: PoolClient;
  try {
    client = await withDeadline(pool.connect(), connectTimeoutMs);
  } catch (error) {
    throw toStoreError(error, 'migrate');
  }
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(migrationLockSql(names));
    // Existence checks first: CREATE ... IF NOT EXISTS still demands CREATE privilege, which an
    // application role often lacks once the schema exists.
    const schemaFound = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [names.schema]);
    if (schemaFound.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.quotedSchema}`);
    const tableFound = await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [names.migrations]);
    if (tableFound.rows[0]?.found !== true) await client.query(migrationsTableSql(names));
    const done = await client.query<{ version: number }>(`SELECT version FROM ${names.migrations}`);
    const versions = new Set(done.rows.map((row) => Number(row.version)));
    const from = Math.max(0, ...versions);
    const applied: number[] = [];
    for (const step of SCHEMA_MIGRATIONS) {
      if (versions.has(step.version)) continue;
      await client.query(step.sql(names));
      await client.query(`INSERT INTO ${names.migrations} (version, name) VALUES ($1, $2)`, [
        step.version,
        step.name,
      ]);
      applied.push(step.version);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, LATEST_SCHEMA_VERSION), applied };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      // The connection is unusable; release(error) below makes the pool discard it.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw toStoreError(error, 'migrate');
  } finally {
    client.release(broken);
  }
}
