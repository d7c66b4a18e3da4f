import { runStandardBenchmark } from './lib/standard-benchmark.js';

/**
 * @sess/express + @sess/memory against express-session + its MemoryStore, same workload, same run.
 * Usage: pnpm --filter @sess/benchmarks bench:express-memory   (QUICK=1 for a smoke run)
 */
await runStandardBenchmark({
  key: 'express-memory',
  stack: 'Express + memory',
  variants: () => [
    { label: '@sess/express + @sess/memory', server: 'express-sess-memory.ts', cookieName: 'sid' },
    {
      label: 'express-session + MemoryStore (anchor)',
      server: 'express-session-memory.ts',
      cookieName: 'sid',
    },
  ],
  notes: () =>
    'Same cookie settings on both sides (servers/cookie-settings.ts): signed with one secret, persistent for one day, re-sent whenever the session is saved; @sess configured as its docs show (`cookie: { secrets, persistent: true }` with a one-day `idleTimeoutMs`, so `rolling` is on). ' +
    'Anchor: `secret`, `cookie.maxAge` one day, `resave: false`, `saveUninitialized: false`. A bare ' +
    'Express route (the ceiling row of the Express + Redis section) costs most of either column.',
});
