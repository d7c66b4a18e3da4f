import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Variant } from './lib/compare.js';
import { startServer } from './lib/server-process.js';
import { runStandardBenchmark, standardWorkload, type WorkloadName } from './lib/standard-benchmark.js';

/**
 * @sess/express + @sess/postgres against express-session + connect-pg-simple 10, same workload, same
 * run, same database (DATABASE_URL), each in a fresh schema of its own that is dropped afterwards. Both
 * servers use a pg.Pool of POOL_SIZE (default 10) connections.
 * Usage: pnpm --filter @sess/benchmarks bench:express-postgres   (QUICK=1 for a smoke run)
 */
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POOL_SIZE = process.env.POOL_SIZE ?? '10';
/** Sequential requests on one session whose statements are counted. */
const MEASURED_REQUESTS = 50;
/** Then sessions with one request in flight each, REQUESTS_PER_USER requests apiece, counted together. */
const CONCURRENT_USERS = 50;
const REQUESTS_PER_USER = 20;
const NOTES = `Same cookie settings on both sides (servers/cookie-settings.ts): signed with one secret, persistent
for one day, re-sent whenever the session is saved; @sess configured as its docs show
(\`cookie: { secrets, persistent: true }\` with a one-day \`idleTimeoutMs\`), express-session with \`secret\` and \`cookie.maxAge\` one day.

"Store ops / request" is statements per request, counted in a separate server process of the
same variant (env COUNT_STATEMENTS=1, same table), which wraps the pool's \`query\` and counts every
statement by verb: first over ${MEASURED_REQUESTS} requests one at a time on one session, then over
${CONCURRENT_USERS * REQUESTS_PER_USER} requests from ${CONCURRENT_USERS} sessions with one request in flight each (the timed workload's
shape). Both stores send all their SQL through \`pool.query\`, so this is every round trip to PostgreSQL.
Under concurrency @sess/postgres coalesces loads and updates of different sessions into shared
statements (packages/postgres/README.md), hence fewer than one of each per request; connect-pg-simple
sends one statement per store call. Timed runs do not wrap anything. Both servers use a pg.Pool of ${POOL_SIZE} connections on the same PostgreSQL, each
variant in a fresh schema of its own. connect-pg-simple runs with its defaults (touch on, prune timer
every 15 min); @sess/postgres with its defaults (named prepared statements, events over LISTEN/NOTIFY,
cleanup timer).

Where the time goes (\`node --cpu-prof\` on the server, CPU read from /proc for the server and all
PostgreSQL processes, \`GET /inc\`, 50 connections, on a busy machine so only per-request CPU is
comparable): before @sess/postgres coalesced statements it used about 370 µs of server CPU and 190 µs of
PostgreSQL CPU per request, against about 440 µs and 310 µs for the anchor (1.3× in CPU per request,
1.04× to 1.4× in req/s). A fifth of our server CPU was \`writev\` from pg (one socket write per
statement, about 35 µs each on this machine), another tenth the HTTP response's \`writev\`. With loads
and updates coalesced it is about 270 µs and 80 µs. What remains is mostly Node's HTTP layer, Express's
router and the response write (about 10 %), and garbage collection (about 11 %); @sess/core and
@sess/express together are under 6 % self time, the store and pg under 8 % plus about 9 % in pg's
(now fewer) socket writes.`;

const run = randomBytes(4).toString('hex');
const schemas = { ours: `sess_bench_${run}`, anchor: `sess_bench_${run}_cps` };
const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
const { rows } = await admin.query<{ version: string }>('SHOW server_version');
console.log(`PostgreSQL ${rows[0]?.version} at ${DATABASE_URL}, schemas ${schemas.ours} / ${schemas.anchor}`);
// connect-pg-simple creates its table, not its schema.
for (const schema of Object.values(schemas)) await admin.query(`CREATE SCHEMA "${schema}"`);

try {
  const base = { DATABASE_URL, POOL_SIZE };
  const variants = (name: WorkloadName): Variant[] => {
    const path = standardWorkload(name, process.env.QUICK === '1').path;
    return [
      {
        label: '@sess/express + @sess/postgres',
        server: 'express-sess-postgres.ts',
        cookieName: 'sid',
        env: { ...base, SESS_SCHEMA: schemas.ours },
        measureOpsPerRequest: (_url, cookie) =>
          countStatements('express-sess-postgres.ts', { ...base, SESS_SCHEMA: schemas.ours }, path, cookie),
      },
      {
        label: 'express-session + connect-pg-simple 10 (anchor)',
        server: 'express-session-postgres.ts',
        cookieName: 'sid',
        env: { ...base, SESS_SCHEMA: schemas.anchor },
        measureOpsPerRequest: (_url, cookie) =>
          countStatements(
            'express-session-postgres.ts',
            { ...base, SESS_SCHEMA: schemas.anchor },
            path,
            cookie,
          ),
      },
    ];
  };

  await runStandardBenchmark({
    key: 'express-postgres',
    stack: 'Express + PostgreSQL',
    variants,
    notes: () => NOTES,
  });
} finally {
  for (const schema of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}

/**
 * Statements one request costs: a second server process of the variant with COUNT_STATEMENTS=1 on the
 * same table serves MEASURED_REQUESTS sequential requests on the session `cookie` names (after a short
 * warm-up), and reports what went through its pool, by verb.
 */
async function countStatements(
  script: string,
  env: Record<string, string>,
  path: string,
  cookie: string,
): Promise<string> {
  const server = await startServer(script, { ...env, COUNT_STATEMENTS: '1' });
  try {
    // /__statements goes without a cookie, so asking loads no session.
    const get = async (route: string, sessionCookie?: string) => {
      const headers: Record<string, string> = sessionCookie ? { cookie: sessionCookie } : {};
      const response = await fetch(server.url + route, { headers });
      const body = await response.text();
      if (!response.ok) throw new Error(`GET ${route} answered ${response.status} while counting statements`);
      return body;
    };
    const per = (counts: Record<string, number>, requests: number) => {
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const detail = Object.entries(counts)
        .map(([verb, n]) => `${verb} ${Number((n / requests).toFixed(2))}`)
        .join(', ');
      return `${Number((total / requests).toFixed(2))} (${detail || 'none'})`;
    };
    // One request at a time on one session.
    for (let i = 0; i < 5; i++) await get(path, cookie);
    await get('/__statements');
    for (let i = 0; i < MEASURED_REQUESTS; i++) await get(path, cookie);
    const sequential = per(
      JSON.parse(await get('/__statements')) as Record<string, number>,
      MEASURED_REQUESTS,
    );
    // The benchmark's shape: CONCURRENT_USERS sessions, one request each in flight at a time.
    const users: string[] = [];
    for (let i = 0; i < CONCURRENT_USERS; i++) {
      const response = await fetch(`${server.url}/inc`);
      await response.text();
      users.push(response.headers.getSetCookie()[0]!.split(';')[0]!);
    }
    await Promise.all(users.map((user) => get(path, user)));
    await get('/__statements');
    await Promise.all(
      users.map(async (user) => {
        for (let i = 0; i < REQUESTS_PER_USER; i++) await get(path, user);
      }),
    );
    const concurrent = per(
      JSON.parse(await get('/__statements')) as Record<string, number>,
      CONCURRENT_USERS * REQUESTS_PER_USER,
    );
    console.log(
      `    ${script} ${path}: statements / request ${sequential} one at a time; ${concurrent} under load`,
    );
    return `${sequential} one at a time; ${concurrent} with ${CONCURRENT_USERS} concurrent`;
  } finally {
    await server.stop();
  }
}
