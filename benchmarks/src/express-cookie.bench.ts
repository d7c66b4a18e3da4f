import { runStandardBenchmark } from './lib/standard-benchmark.js';

/**
 * @sess/express + @sess/cookie (the session sealed in the cookie) against iron-session 8 on Express,
 * same workload, same run; with and without the deny-list, and Express without sessions (ceiling).
 * Usage: pnpm --filter @sess/benchmarks bench:express-cookie   (QUICK=1 for a smoke run)
 */
const variants = [
  { label: '@sess/express + @sess/cookie (stateless)', server: 'express-sess-cookie.ts', cookieName: 'sid' },
  {
    label: '@sess/express + @sess/cookie + deny-list (MemoryStore)',
    server: 'express-sess-cookie.ts',
    cookieName: 'sid',
    env: { DENY: '1' },
  },
  { label: 'Express alone, no session (ceiling)', server: 'express-bare.ts', cookieName: null },
  { label: 'iron-session 8.0.4 (anchor)', server: 'express-iron-session.ts', cookieName: 'sid' },
];
const notes =
  'Both sides seal the whole session into the cookie with a 32+ character secret and re-send it on ' +
  'every save (GET /inc): @sess/cookie with AES-256-GCM through Web Crypto, iron-session with ' +
  'iron-webcrypto (AES-256-CBC + HMAC-SHA-256). Persistent cookies, 30 min lifetime on both sides. ' +
  'Each connection replays the cookie it got first, so every request opens and (on /inc) re-seals ' +
  'a session of the same size. A read (GET /read) opens the cookie and sends nothing back on both.';
await runStandardBenchmark({
  key: 'express-cookie',
  stack: 'Express + session in the cookie',
  variants: () => variants,
  notes: () => notes,
});
