import { defineStoreConformance } from '@sess/testkit';
import { PostgresStore, type PostgresStoreOptions } from '../src/index.js';
import { databaseReachable, skipUnreachable, useTestDatabase } from './database.js';

if (await databaseReachable()) {
  const db = useTestDatabase({ max: 20 });

  /** The whole kit against the real server; every suite gets its own table in this file's schema. */
  const conformance = (name: string, options: Partial<PostgresStoreOptions>, scale?: number) => {
    // The store the kit created last: its hooks run inside that store's suite.
    let current: PostgresStore | undefined;
    const table = () => `"${db.schema}"."${current!.table}"`;
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
        current = store;
        return store;
      },
      inspect: {
        exists: async (id) =>
          (await db.pool.query(`SELECT 1 FROM ${table()} WHERE id = $1`, [id])).rowCount === 1,
      },
      corrupt: async (id) => {
        await db.pool.query(`UPDATE ${table()} SET attributes = '{"a": 5}' WHERE id = $1`, [id]);
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
