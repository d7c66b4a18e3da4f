import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the test database answers. With CI set, an unreachable database fails the run (a skip
 * there would hide a broken pipeline); locally the PostgreSQL tests are skipped with a message.
 */
export async function databaseReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const message = `PostgreSQL at ${DATABASE_URL} is unreachable (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${message}; CI is set, so this is a failure, not a skip`);
    console.warn(`[@sess/postgres tests] ${message}: skipping. Start PostgreSQL or set DATABASE_URL.`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Registers one skipped test that says why, so a skipped run is visible in the report. */
export function skipUnreachable(): void {
  describe.skip('PostgreSQL tests', () => {
    it(`need a database at ${DATABASE_URL}`, () => undefined);
  });
}

export interface TestDatabase {
  /** A schema of its own for this test file, dropped (with everything in it) after the file. */
  readonly schema: string;
  /** The file's pool. Pool errors (terminated idle clients) are recorded, never fatal. */
  readonly pool: pg.Pool;
  readonly poolErrors: Error[];
  /** A fresh table name in the schema. */
  table(prefix?: string): string;
  /** Another pool on the same database (ended with the file). */
  extraPool(options?: pg.PoolConfig): pg.Pool;
}

/** Call at the top of a test file (after databaseReachable() said yes). */
export function useTestDatabase(options: pg.PoolConfig = {}): TestDatabase {
  const schema = `sess_test_${randomBytes(5).toString('hex')}`;
  const pools: pg.Pool[] = [];
  const poolErrors: Error[] = [];
  const makePool = (extra: pg.PoolConfig) => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10, ...options, ...extra });
    pool.on('error', (error) => poolErrors.push(error));
    pools.push(pool);
    return pool;
  };
  const pool = makePool({});
  let tables = 0;
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await Promise.all(pools.map((p) => (p.ended || p.ending ? undefined : p.end())));
  });
  return {
    schema,
    pool,
    poolErrors,
    table: (prefix = 's') => `${prefix}${++tables}`,
    extraPool: (extra = {}) => makePool(extra),
  };
}
