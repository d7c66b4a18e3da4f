import { createSessionRepository } from '@sess/core';
import { session } from '@sess/express';
import { PostgresStore } from '@sess/postgres';
import express from 'express';
import pg from 'pg';
import { SESS_IDLE_TIMEOUT, sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';
import { exposeStatementCounts } from './statement-counter.js';

// Our stack: @sess/express + @sess/postgres on a user-built pg.Pool, store defaults (prepared
// statements, events over LISTEN/NOTIFY, cleanup timer). The bench gives it a fresh schema per run.
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: Number(process.env.POOL_SIZE ?? 10),
});
pool.on('error', (error) => console.error(`postgres: ${error.message}`));
const app = express();
const resetStatementCount = exposeStatementCounts(app, pool);
const store = new PostgresStore({ pool, schema: process.env.SESS_SCHEMA ?? 'sess_bench' });
await store.migrate();
resetStatementCount(); // count request statements only
const repository = createSessionRepository({ store, ...SESS_IDLE_TIMEOUT });

app.use(session({ repository, cookie: sessCookie() }));
app.get('/inc', (req, res) => {
  const count = ((req.session.get('count') as number | undefined) ?? 0) + 1;
  req.session.set('count', count);
  res.send(String(count));
});
app.get('/read', (req, res) => {
  res.send(String(req.session.get('count') ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
