import { runStandardBenchmark } from './lib/standard-benchmark.js';

/**
 * @sess/koa + @sess/memory against koa-session with an in-memory external store (server-side
 * sessions on both sides), same workload, same run.
 * Usage: pnpm --filter @sess/benchmarks bench:koa-memory   (QUICK=1 for a smoke run)
 */
const variants = [
  { label: '@sess/koa + @sess/memory', server: 'koa-sess-memory.ts', cookieName: 'sid' },
  { label: 'koa-session + in-memory store (anchor)', server: 'koa-session-memory.ts', cookieName: 'sid' },
];
const notes =
  'koa-session stores the session in the cookie unless given a store; the anchor gets an in-memory ' +
  "external store (a Map of JSON strings with expiry, like express-session's MemoryStore) so both " +
  'sides keep server-side sessions. Same cookie settings on both sides (servers/cookie-settings.ts): signed with one secret, persistent for one day, re-sent whenever the session is saved; @sess configured as its docs show (`cookie: { secrets, persistent: true }` with a one-day `idleTimeoutMs`, so `rolling` is on). ' +
  'Anchor: `signed: true` (a `sid.sig` cookie keyed by `app.keys`), `maxAge` one day, its defaults otherwise.';
await runStandardBenchmark({
  key: 'koa-memory',
  stack: 'Koa + memory',
  variants: () => variants,
  notes: () => notes,
});
