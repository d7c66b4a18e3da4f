import { runStandardBenchmark } from './lib/standard-benchmark.js';

/**
 * @sess/fastify + @sess/memory against @fastify/session + its memory store, same workload, same run.
 * Usage: pnpm --filter @sess/benchmarks bench:fastify-memory   (QUICK=1 for a smoke run)
 */
const variants = [
  { label: '@sess/fastify + @sess/memory', server: 'fastify-sess-memory.ts', cookieName: 'sid' },
  {
    label: '@fastify/session + memory store (anchor)',
    server: 'fastify-session-memory.ts',
    cookieName: 'sid',
  },
];
const notes =
  'Same cookie settings on both sides (servers/cookie-settings.ts): signed with one secret, persistent for one day, re-sent whenever the session is saved; @sess configured as its docs show (`cookie: { secrets, persistent: true }` with a one-day `idleTimeoutMs`, so `rolling` is on). ' +
  'Anchor: `secret`, `cookie.maxAge` one day, `saveUninitialized: false`, `rolling: false` (its default ' +
  're-saves and re-sends every session on every request), `cookie.secure: false` for plain HTTP.';
await runStandardBenchmark({
  key: 'fastify-memory',
  stack: 'Fastify + memory',
  variants: () => variants,
  notes: () => notes,
});
