import { defineStoreConformance } from '@sess/testkit';
import { PostgresStore, type PostgresStoreOptions } from '../src/index.js';
import { databaseReachable, skipUnreachable, useTestDatabase } from './database.js';

if (await databaseReachable()) {
  const db = useTestDatabase({ max: 20 });
  const peerPool = db.extraPool({ max: 5 });
  // Nothing listens on port 1: every connection attempt is refused (for the kit's outage check).
  const downPool = db.extraPool({
    connectionString: 'postgres://postgres@127.0.0.1:1/test',
    connectionTimeoutMillis: 1000,
  });

  /** The whole kit against the real server; every suite gets its own table in this file's schema. */
  const conformance = (name: string, options: Partial<PostgresStoreOptions>, scale?: number) => {
    const table = ({ schema, table }: PostgresStore) => `"${schema}"."${table}"`;
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
      createPeer: async ({ schema, table }, { clock }) => {
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
        exists: async (store, id) =>
          (await db.pool.query(`SELECT 1 FROM ${table(store)} WHERE id = $1`, [id])).rowCount === 1,
      },
      corrupt: async (store, id, kind) => {
        // unreadable: an attribute document of the wrong shape; out-of-range: the largest bigint as
        // the idle timeout (the row still reads, the number is no session's).
        const change =
          kind === 'unreadable' ? `attributes = '{"a": 5}'` : 'max_inactive_ms = 9223372036854775807';
        const updated = await db.pool.query(`UPDATE ${table(store)} SET ${change} WHERE id = $1`, [id]);
        if (updated.rowCount !== 1) throw new Error(`no row to corrupt for ${id}`);
      },
      createUnavailable: ({ schema, table }, { clock }) =>
        new PostgresStore({ pool: downPool, schema, table, clock, ...options }),
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
