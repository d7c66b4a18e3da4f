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
  'Anchor configured like @sess defaults: `saveUninitialized: false`, `rolling: false` (its default ' +
  're-saves and re-sends every session on every request), `cookie.secure: false` for plain HTTP. ' +
  'It signs its cookie; @sess sends an unsigned 256-bit id by default.';
await runStandardBenchmark({
  key: 'fastify-memory',
  stack: 'Fastify + memory',
  variants: () => variants,
  notes: () => notes,
});
