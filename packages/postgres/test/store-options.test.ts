import { isSessionError, storeCapabilities } from '@sess/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore, schemaSql } from '../src/index.js';

// No database needed: options are checked at construction time, before any I/O.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(() => pool.end());

function configError(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(isSessionError(error) && error.code).toBe('CONFIG');
    return (error as Error).message;
  }
  throw new Error('expected a CONFIG error');
}

describe('PostgresStore options', () => {
  it('refuses schema and table names that are not plain identifiers', () => {
    for (const name of ['', 'a.b', 'x"; DROP TABLE users; --', '1abc', 'with space', 'ünï', 'a'.repeat(64)]) {
      expect(configError(() => new PostgresStore({ pool, schema: name, cleanupIntervalMs: 0 }))).toContain(
        'schema',
      );
      expect(configError(() => new PostgresStore({ pool, table: name, cleanupIntervalMs: 0 }))).toContain(
        'table',
      );
    }
  });

  it('leaves room for derived index names in the table name', () => {
    configError(() => new PostgresStore({ pool, table: 't'.repeat(50), cleanupIntervalMs: 0 }));
    expect(
      new PostgresStore({ pool, table: 't'.repeat(49), events: false, cleanupIntervalMs: 0 }).table,
    ).toHaveLength(49);
  });

  it('refuses an unusable channel, and a default channel that would be too long', () => {
    configError(() => new PostgresStore({ pool, channel: 'bad channel', cleanupIntervalMs: 0 }));
    const message = configError(
      () => new PostgresStore({ pool, schema: 's'.repeat(40), table: 't'.repeat(40), cleanupIntervalMs: 0 }),
    );
    expect(message).toContain('channel option');
    new PostgresStore({
      pool,
      schema: 's'.repeat(40),
      table: 't'.repeat(40),
      channel: 'sess',
      cleanupIntervalMs: 0,
    });
  });

  it('refuses a missing pool and nonsense numbers', () => {
    configError(() => new PostgresStore({} as never));
    configError(() => new PostgresStore({ pool, queryTimeoutMs: 0 }));
    configError(() => new PostgresStore({ pool, cleanupIntervalMs: -1 }));
    configError(() => new PostgresStore({ pool, cleanupBatchSize: 2.5 }));
  });

  it('has events (subscribe) exactly when they are on', async () => {
    const on = new PostgresStore({ pool, cleanupIntervalMs: 0 });
    const off = new PostgresStore({ pool, events: false, cleanupIntervalMs: 0 });
    expect(storeCapabilities(on).events).toBe(true);
    expect(typeof on.subscribe).toBe('function');
    expect(storeCapabilities(off).events).toBe(false);
    expect(off.subscribe).toBeUndefined();
    await Promise.all([on.close(), off.close()]);
  });

  it('schemaSql() quotes the configured names and is the shipped sql/schema.sql for the defaults', async () => {
    const { readFile } = await import('node:fs/promises');
    const shipped = await readFile(new URL('../sql/schema.sql', import.meta.url), 'utf8');
    expect(shipped).toBe(schemaSql());
    const custom = schemaSql({ schema: 'App', table: 'web_sessions' });
    expect(custom).toContain('CREATE TABLE IF NOT EXISTS "App"."web_sessions"');
    expect(() => schemaSql({ table: 'x; --' })).toThrow(/table/);
  });
});
