export { type MigrateOptions, type MigrationResult, migrate } from './migrate.js';
export { PostgresStore, postgresStore } from './postgres-store.js';
export type { PostgresBackgroundSource, PostgresStoreOptions } from './postgres-store-options.js';
export { LATEST_SCHEMA_VERSION, schemaSql } from './schema-migrations.js';
export { DEFAULT_SCHEMA, DEFAULT_TABLE } from './table-names.js';
