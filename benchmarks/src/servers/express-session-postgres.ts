import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import pg from 'pg';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';
import { exposeStatementCounts } from './statement-counter.js';

// The anchor: express-session + connect-pg-simple 10 on a pg.Pool of the same size as ours, its own
// table (created by createTableIfMissing) in the schema the bench gives it, configured like @sess's
// defaults (no session until written, no rewrite of unchanged ones; touch stays on, its default).
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: Number(process.env.POOL_SIZE ?? 10),
});
pool.on('error', (error) => console.error(`postgres: ${error.message}`));
const app = express();
exposeStatementCounts(app, pool);
const PgSession = (connectPgSimple as (s: typeof session) => new (options: object) => session.Store)(session);
const store = new PgSession({
  pool,
  schemaName: process.env.SESS_SCHEMA ?? 'sess_bench_anchor',
  tableName: 'session',
  createTableIfMissing: true,
});

app.use(
  session({
    store,
    secret: SECRET,
    resave: false,
    saveUninitialized: false,
    name: 'sid',
    cookie: { maxAge: ONE_DAY_MS, secure: false },
  }),
);
app.get('/inc', (req, res) => {
  const data = req.session as unknown as { count?: number };
  data.count = (data.count ?? 0) + 1;
  res.send(String(data.count));
});
app.get('/read', (req, res) => {
  res.send(String((req.session as unknown as { count?: number }).count ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
