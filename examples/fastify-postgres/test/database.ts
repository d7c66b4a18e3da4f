import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database the tests use (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of this test run alone, so runs never see (or drop) each other's tables. */
export const runSchema = (name: string) => `sess_example_test_${name}_${randomBytes(4).toString('hex')}`;

/**
 * Whether the database answers. With CI set, an unreachable database fails the run (a skip would hide a
 * broken pipeline); locally the suites that need it are skipped with a message.
 */
export async function requireDatabase(suite: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const message = `${suite} needs PostgreSQL at ${DATABASE_URL} (${(error as Error).message}); set DATABASE_URL`;
    if (process.env.CI) throw new Error(`${message}: required in CI but not reachable`);
    console.warn(`[example-fastify-postgres tests] skipped: ${message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a schema the example created (and its tables). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
