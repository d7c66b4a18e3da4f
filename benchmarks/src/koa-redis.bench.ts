import { COUNTING_NOTE, runRedisBenchmark } from './lib/redis-bench.js';
import { redisVariants, settingsNote } from './lib/redis-variants.js';

/**
 * @sess/koa + @sess/redis (ioredis) against koa-session with a Redis store on node-redis, same
 * workload, same run, same private Redis, same cookie settings; with the floor and the ceiling.
 * Usage: pnpm --filter @sess/benchmarks bench:koa-redis   (QUICK=1 for a smoke run)
 */
const ANCHOR = `koa-session: \`signed: true\` (a \`sid.sig\` cookie keyed by \`app.keys\`), \`maxAge\` one
day, its defaults otherwise (\`rolling: false\`, \`renew: false\`: a changed session is saved and its
cookies re-sent), with an external store on node-redis 5 written the way connect-redis stores sessions
(one JSON string per session: GET, SET with PX, DEL; servers/koa-session-redis.ts), since koa-session
keeps sessions in the cookie itself unless given a store.`;
const SIGNED_IN = `Each session is created by \`GET /login\` with 1142 bytes of a signed-in user's data
(benchmarks/src/servers/signed-in.ts; for @sess also the principal), then measured on \`GET /inc\`.`;

await runRedisBenchmark({
  key: 'koa-redis',
  stack: 'Koa + Redis',
  variants: (name, redis) =>
    redisVariants(
      {
        name: 'koa',
        title: 'Koa',
        anchor: {
          label: 'koa-session + Redis store on node-redis (anchor)',
          server: 'koa-session-redis.ts',
          prefix: 'bench:ks:',
          // koa-session's cookie value is the store key (its signature is the separate sid.sig cookie).
          idOf: (c) => c,
        },
      },
      name,
      redis,
    ),
  notes: (name) =>
    [name === 'signed-in' ? SIGNED_IN : '', name === 'inc' ? COUNTING_NOTE : '', settingsNote('Koa', ANCHOR)]
      .filter(Boolean)
      .join('\n\n'),
});
