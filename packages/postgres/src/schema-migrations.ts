import { type TableNames, tableNames } from './table-names.js';

/** One step of the schema. Steps are append-only: a released step is never edited, only followed. */
export interface SchemaMigration {
  readonly version: number;
  readonly name: string;
  sql(names: TableNames): string;
}

/**
 * The schema, as versioned steps. Times are timestamptz (readable in psql, comparable with now() in
 * ad-hoc queries; millisecond values round-trip exactly because timestamptz keeps microseconds).
 * Attributes are one jsonb object of name -> encoded string: see the README for why not a child table.
 */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'create sessions table',
    sql: (n) => `CREATE TABLE IF NOT EXISTS ${n.sessions} (
  id                  text        PRIMARY KEY,
  principal           text,
  created_at          timestamptz NOT NULL,
  last_accessed_at    timestamptz NOT NULL,
  max_inactive_ms     bigint      NOT NULL CHECK (max_inactive_ms > 0),
  absolute_expires_at timestamptz,
  expires_at          timestamptz NOT NULL,
  attributes          jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object')
);
-- Cleanup scans expired rows in expiry order, a bounded batch at a time.
CREATE INDEX IF NOT EXISTS ${n.expiresIndex} ON ${n.sessions} (expires_at);
-- Find-by-principal. Partial: anonymous sessions (usually most of them) stay out of the index.
CREATE INDEX IF NOT EXISTS ${n.principalIndex} ON ${n.sessions} (principal) WHERE principal IS NOT NULL;`,
  },
];

export const LATEST_SCHEMA_VERSION = SCHEMA_MIGRATIONS[SCHEMA_MIGRATIONS.length - 1]!.version;

export function migrationsTableSql(names: TableNames): string {
  return `CREATE TABLE IF NOT EXISTS ${names.migrations} (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;
}

/**
 * Serialises schema changes for one table across processes: two instances starting at once both call
 * migrate(), and exactly one of them applies each step. Two-key form, so it cannot collide with the
 * application's own single-key advisory locks.
 */
export function migrationLockSql(names: TableNames): string {
  return `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_CLASS}, hashtext('${names.schema}.${names.table}'))`;
}

/** "se55" in hex: the first key of every @sess/postgres advisory lock. */
const MIGRATION_LOCK_CLASS = 0x5e55;

/**
 * The whole schema as one idempotent script, for applying by hand (`psql -f`) instead of migrate().
 * It takes the same lock as migrate() and records the versions it applies, so a later migrate()
 * continues from there.
 */
export function schemaSql(options: { schema?: string; table?: string } = {}): string {
  const n = tableNames(options);
  const steps = SCHEMA_MIGRATIONS.map(
    (m) =>
      `-- ${m.version}: ${m.name}\n${m.sql(n)}\n` +
      `INSERT INTO ${n.migrations} (version, name) VALUES (${m.version}, '${m.name}') ON CONFLICT (version) DO NOTHING;`,
  );
  return [
    `-- @sess/postgres schema for ${n.sessions}, version ${LATEST_SCHEMA_VERSION}. Safe to run more than once.`,
    'BEGIN;',
    `${migrationLockSql(n)};`,
    // "public" exists already, and creating it needs a privilege application roles often lack.
    ...(n.schema === 'public' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${n.quotedSchema};`]),
    migrationsTableSql(n),
    ...steps,
    'COMMIT;',
    '',
  ].join('\n');
}
