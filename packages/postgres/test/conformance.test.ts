import { defineStoreConformance } from '@sess/testkit';
import { PostgresStore } from '../src/index.js';
import { databaseReachable, skipUnreachable, useTestDatabase } from './database.js';

if (await databaseReachable()) {
  const db = useTestDatabase({ max: 20 });
  // The table of the store most recently created; the kit's hooks run inside that store's suite.
  let current: PostgresStore | undefined;

  defineStoreConformance({
    name: 'postgres',
    createStore: async ({ clock }) => {
      const store = new PostgresStore({
        pool: db.pool,
        schema: db.schema,
        table: db.table(),
        clock,
        cleanupIntervalMs: 200,
      });
      await store.migrate();
      current = store;
      return store;
    },
    inspect: {
      exists: async (id) =>
        (await db.pool.query(`SELECT 1 FROM "${db.schema}"."${current!.table}" WHERE id = $1`, [id]))
          .rowCount === 1,
    },
    corrupt: async (id) => {
      await db.pool.query(
        `UPDATE "${db.schema}"."${current!.table}" SET attributes = '{"a": 5}' WHERE id = $1`,
        [id],
      );
    },
    expiryLatencyMs: 2000,
    eventLatencyMs: 2000,
  });
} else {
  skipUnreachable();
}
