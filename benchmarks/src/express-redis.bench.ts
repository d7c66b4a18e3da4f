import { COUNTING_NOTE, runRedisBenchmark } from './lib/redis-bench.js';
import { redisVariants, settingsNote } from './lib/redis-variants.js';

/**
 * @sess/express + @sess/redis (ioredis) against express-session + connect-redis (node-redis), same
 * workload, same run, same private Redis, same cookie settings; with the floor (Express + two plain
 * ioredis round trips, no session logic) and the ceiling (Express alone).
 * Usage: pnpm --filter @sess/benchmarks bench:express-redis   (QUICK=1 for a smoke run)
 */
const ANCHOR = `express-session: \`secret\`, \`cookie.maxAge\` one day, \`resave: false\`,
\`saveUninitialized: false\` (no session until written, no rewrite of unchanged ones), \`rolling: false\`
(its default; a persistent cookie is re-sent whenever a changed session is saved).`;
const SIGNED_IN_NOTE = `Each session is created by \`GET /login\`, which stores what a signed-in user's session
typically holds (benchmarks/src/servers/signed-in.ts: the user with roles, a CSRF token, a 5-item cart,
preferences, 12 recently viewed items; 1142 bytes as JSON) and, for @sess, sets the principal (so the
session is indexed by user name, which the anchor cannot do). The measured requests are \`GET /inc\` as
in the first workload: the anchor loads, checks and rewrites the whole session on each one; @sess
writes only the counter.`;

await runRedisBenchmark({
  key: 'express-redis',
  stack: 'Express + Redis',
  variants: (name, redis) =>
    redisVariants(
      {
        name: 'express',
        title: 'Express',
        anchor: {
          label: 'express-session + connect-redis 9 (node-redis) (anchor)',
          server: 'express-session-redis.ts',
          prefix: 'bench:cr:',
          // express-session signs its cookie: "s:<id>.<signature>", URL-encoded.
          idOf: (c) => c.replace(/^s:/, '').replace(/\.[^.]*$/, ''),
        },
      },
      name,
      redis,
    ),
  notes: (name) =>
    [
      name === 'signed-in' ? SIGNED_IN_NOTE : '',
      name === 'inc' ? COUNTING_NOTE : '',
      settingsNote('Express', ANCHOR),
    ]
      .filter(Boolean)
      .join('\n\n'),
});
