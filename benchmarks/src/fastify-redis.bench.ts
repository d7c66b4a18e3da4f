import { COUNTING_NOTE, runRedisBenchmark } from './lib/redis-bench.js';
import { redisVariants, settingsNote } from './lib/redis-variants.js';

/**
 * @sess/fastify + @sess/redis (ioredis) against @fastify/session + connect-redis (node-redis), same
 * workload, same run, same private Redis, same cookie settings; with the floor and the ceiling.
 * Usage: pnpm --filter @sess/benchmarks bench:fastify-redis   (QUICK=1 for a smoke run)
 */
const ANCHOR = `@fastify/session: \`secret\`, \`cookie.maxAge\` one day, \`saveUninitialized: false\`,
\`rolling: false\` (its default re-saves and re-sends every session on every request; with false a
changed session is saved and its cookie re-sent), \`cookie.secure: false\` for plain HTTP.`;
const SIGNED_IN = `Each session is created by \`GET /login\` with 1142 bytes of a signed-in user's data
(benchmarks/src/servers/signed-in.ts; for @sess also the principal), then measured on \`GET /inc\`.`;

await runRedisBenchmark({
  key: 'fastify-redis',
  stack: 'Fastify + Redis',
  variants: (name, redis) =>
    redisVariants(
      {
        name: 'fastify',
        title: 'Fastify',
        anchor: {
          label: '@fastify/session + connect-redis 9 (node-redis) (anchor)',
          server: 'fastify-session-redis.ts',
          prefix: 'bench:fs:',
          // @fastify/session signs its cookie: "<id>.<signature>", URL-encoded.
          idOf: (c) => c.replace(/\.[^.]*$/, ''),
        },
      },
      name,
      redis,
    ),
  notes: (name) =>
    [
      name === 'signed-in' ? SIGNED_IN : '',
      name === 'inc' ? COUNTING_NOTE : '',
      settingsNote('Fastify', ANCHOR),
    ]
      .filter(Boolean)
      .join('\n\n'),
});
