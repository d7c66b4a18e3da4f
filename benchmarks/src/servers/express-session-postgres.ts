import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import pg from 'pg';
import { announce } from './listen.js';

// The anchor: express-session + connect-pg-simple 10 on a pg.Pool of the same size as ours, its own
// table (created by createTableIfMissing) in the schema the bench gives it, configured like @sess's
// defaults (no session until written, no rewrite of unchanged ones; touch stays on, its default).
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: Number(process.env.POOL_SIZE ?? 10),
});
pool.on('error', (error) => console.error(`postgres: ${error.message}`));
const counted = process.env.COUNT_STATEMENTS === '1' ? countStatements(pool) : undefined;
const PgSession = (connectPgSimple as (s: typeof session) => new (options: object) => session.Store)(session);
const store = new PgSession({
  pool,
  schemaName: process.env.SESS_SCHEMA ?? 'sess_bench_anchor',
  tableName: 'session',
  createTableIfMissing: true,
});

const app = express();
app.use(
  session({
    store,
    secret: 'benchmark-secret-benchmark-secret',
    resave: false,
    saveUninitialized: false,
    name: 'sid',
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
// Only with COUNT_STATEMENTS=1 (a separate process from the timed runs): statements since last asked.
if (counted) {
  app.get('/__statements', (_req, res) => {
    res.json(Object.fromEntries(counted));
    counted.clear();
  });
}
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));

/**
 * Counts every statement sent through `pool.query` by its leading verb (SELECT, UPDATE, ...). Both
 * benchmark servers run all their SQL through pool.query, so this is the statements per request.
 */
function countStatements(target: pg.Pool): Map<string, number> {
  const counts = new Map<string, number>();
  const query = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const config = args[0];
    const text = typeof config === 'string' ? config : String((config as { text?: string }).text ?? '');
    // A statement with CTEs counts as the verb of its main part (WITH ... UPDATE is an UPDATE).
    const verbs = text.toUpperCase().match(/\b(SELECT|INSERT|UPDATE|DELETE)\b/g) ?? ['?'];
    const verb = text.includes('pg_notify')
      ? 'NOTIFY'
      : /^\s*WITH\b/i.test(text)
        ? (verbs.findLast((v) => v !== 'SELECT') ?? 'SELECT')
        : verbs[0]!;
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
    return query(...args);
  };
  return counts;
}
