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
  notes: (name) =>
    name === 'read'
      ? 'Anchor configured like @sess defaults: `resave: false`, `saveUninitialized: false`. A bare Express ' +
        'route (the ceiling row of the Express + Redis section, same day) costs about 95 µs of server CPU per ' +
        'request on this machine, so most of either column is Express.'
      : '',
});
