import { COUNTING_NOTE, runRedisBenchmark } from './lib/redis-bench.js';

/**
 * @sess/fastify + @sess/redis (ioredis) against @fastify/session + connect-redis (node-redis), same
 * workload, same run, same private Redis; with the ceiling (Fastify alone) as a reference.
 * Usage: pnpm --filter @sess/benchmarks bench:fastify-redis   (QUICK=1 for a smoke run)
 */
const ANCHOR = `Anchor configured like @sess defaults: \`saveUninitialized: false\`, \`rolling: false\` (its
default re-saves and re-sends every session on every request), \`cookie.secure: false\` for plain HTTP.
It signs its cookie; @sess sends an unsigned 256-bit id by default. "ceiling" is the same Fastify app
with neither sessions nor Redis. The load generator shares the machine's 2 cores with every server and
with redis-server, so Redis CPU per request counts here too.`;
const SIGNED_IN = `Each session is created by \`GET /login\` with 1142 bytes of a signed-in user's data
(benchmarks/src/servers/signed-in.ts; for @sess also the principal), then measured on \`GET /inc\`.`;

await runRedisBenchmark({
  key: 'fastify-redis',
  stack: 'Fastify + Redis',
  variants: (_name, redis) => [
    {
      label: '@sess/fastify + @sess/redis (ioredis)',
      server: 'fastify-sess-redis.ts',
      cookieName: 'sid',
      env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: 'bench:sess:' },
      measureOpsPerRequest: redis.countCommands((c) => c),
    },
    {
      label: 'Fastify alone, no session and no Redis (ceiling)',
      server: 'fastify-bare.ts',
      cookieName: null,
    },
    {
      label: '@fastify/session + connect-redis 9 (node-redis) (anchor)',
      server: 'fastify-session-redis.ts',
      cookieName: 'sid',
      env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: 'bench:fs:' },
      // @fastify/session signs its cookie: "<id>.<signature>", URL-encoded.
      measureOpsPerRequest: redis.countCommands((c) => c.replace(/\.[^.]*$/, '')),
    },
  ],
  notes: (name) =>
    [name === 'signed-in' ? SIGNED_IN : '', name === 'inc' ? COUNTING_NOTE : '', ANCHOR]
      .filter(Boolean)
      .join('\n\n'),
});
