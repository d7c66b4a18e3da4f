import type { Variant } from './lib/compare.js';
import { COUNTING_NOTE, runRedisBenchmark } from './lib/redis-bench.js';

/**
 * @sess/express + @sess/redis (ioredis) against express-session + connect-redis (node-redis), same
 * workload, same run, same private Redis; with two references: the floor (Express + two plain ioredis
 * round trips, no session logic) and the ceiling (Express alone).
 * Usage: pnpm --filter @sess/benchmarks bench:express-redis   (QUICK=1 for a smoke run)
 */
const VARIANTS_NOTE = `Our first row is the default store, which coalesces the socket writes of one event-loop
iteration (\`batchWrites\`, like node-redis does); the second uses ioredis' \`enableAutoPipelining\`
instead; the third (first workload only) sends each command with its own write (the store before
\`batchWrites\`).`;
const REFERENCES = `The "floor" and "ceiling" rows are references, not session libraries. "floor of a Redis
store" is Express plus the round trips any Redis-backed session needs per request (GET, then on /inc a
SET with a TTL) on a plain ioredis client, with no session logic at all
(servers/express-ioredis-floor.ts): no library that keeps sessions in Redis can beat it on Express.
"ceiling" is the same Express app with neither sessions nor Redis. The load generator shares the
machine's 2 cores with every server.`;
const SIGNED_IN_NOTE = `Each session is created by \`GET /login\`, which stores what a signed-in user's session
typically holds (benchmarks/src/servers/signed-in.ts: the user with roles, a CSRF token, a 5-item cart,
preferences, 12 recently viewed items; 1142 bytes as JSON) and, for @sess, sets the principal (so the
session is indexed by user name, which the anchor cannot do). The measured requests are \`GET /inc\` as
in the first workload: the anchor loads, checks and rewrites the whole session on each one; @sess
writes only the counter.`;

await runRedisBenchmark({
  key: 'express-redis',
  stack: 'Express + Redis',
  variants: (name, redis) => {
    const ours = (label: string, env: Record<string, string>): Variant => ({
      label: `@sess/express + @sess/redis (ioredis${label})`,
      server: 'express-sess-redis.ts',
      cookieName: 'sid',
      env: { REDIS_URL: redis.redisUrl, ...env },
      measureOpsPerRequest: redis.countCommands((c) => c),
    });
    return [
      ours('', { SESS_PREFIX: 'bench:sess:' }),
      ours(', enableAutoPipelining', { SESS_PREFIX: 'bench:sess-ap:', AUTO_PIPELINING: '1' }),
      // The store before `batchWrites` existed; kept on the first workload to show what it buys.
      ...(name === 'inc'
        ? [ours(', batchWrites: false', { SESS_PREFIX: 'bench:sess-nb:', BATCH_WRITES: '0' })]
        : []),
      // The floor keeps a counter, not a session: it has no signed-in variant.
      ...(name === 'signed-in'
        ? []
        : [
            {
              label: 'Express + plain ioredis GET/SET, no session logic (floor of a Redis store)',
              server: 'express-ioredis-floor.ts',
              cookieName: 'sid',
              env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: 'bench:floor:' },
            },
          ]),
      {
        label: 'Express alone, no session and no Redis (ceiling)',
        server: 'express-bare.ts',
        cookieName: null,
      },
      {
        label: 'express-session + connect-redis 9 (node-redis) (anchor)',
        server: 'express-session-redis.ts',
        cookieName: 'sid',
        env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: 'bench:cr:' },
        // express-session signs its cookie: "s:<id>.<signature>", URL-encoded.
        measureOpsPerRequest: redis.countCommands((c) => c.replace(/^s:/, '').replace(/\.[^.]*$/, '')),
      },
    ];
  },
  notes: (name) =>
    name === 'signed-in'
      ? [SIGNED_IN_NOTE, 'The "ceiling" row is the same Express app with neither sessions nor Redis.'].join(
          '\n\n',
        )
      : name === 'inc'
        ? [REFERENCES, COUNTING_NOTE, VARIANTS_NOTE].join('\n\n')
        : REFERENCES,
});
