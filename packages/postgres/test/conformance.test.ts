import type { SessionStore } from '@sess/core';
import { defineStoreConformance } from '@sess/testkit';
import { PostgresStore, type PostgresStoreOptions } from '../src/index.js';
import { databaseReachable, skipUnreachable, useTestDatabase } from './database.js';

if (await databaseReachable()) {
  const db = useTestDatabase({ max: 20 });
  const peerPool = db.extraPool({ max: 5 });

  /** The whole kit against the real server; every suite gets its own table in this file's schema. */
  const conformance = (name: string, options: Partial<PostgresStoreOptions>, scale?: number) => {
    const table = (store: SessionStore) => {
      const { schema, table } = store as PostgresStore;
      return `"${schema}"."${table}"`;
    };
    defineStoreConformance({
      name,
      createStore: async ({ clock }) => {
        const store = new PostgresStore({
          pool: db.pool,
          schema: db.schema,
          table: db.table(),
          clock,
          cleanupIntervalMs: 200,
          ...options,
        });
        await store.migrate();
        return store;
      },
      // Another process: its own pool (and LISTEN connection), the same table.
      createPeer: async (store, { clock }) => {
        const { schema, table } = store as PostgresStore;
        return new PostgresStore({
          pool: peerPool,
          schema,
          table,
          clock,
          cleanupIntervalMs: 200,
          ...options,
        });
      },
      inspect: {
        exists: async (id, store) =>
          (await db.pool.query(`SELECT 1 FROM ${table(store)} WHERE id = $1`, [id])).rowCount === 1,
      },
      corrupt: async (id, store) => {
        await db.pool.query(`UPDATE ${table(store)} SET attributes = '{"a": 5}' WHERE id = $1`, [id]);
      },
      ...(scale === undefined ? {} : { scale }),
      expiryLatencyMs: 2000,
      eventLatencyMs: 2000,
    });
  };

  conformance('postgres', {});
  // Events off (core raises process events) and plain, unnamed statements (PgBouncer-style).
  conformance(
    'postgres (events off, no prepared statements)',
    { events: false, preparedStatements: false },
    2000,
  );
} else {
  skipUnreachable();
}
