import type { Variant } from './compare.js';
import type { RedisVariants } from './redis-bench.js';
import type { WorkloadName } from './standard-benchmark.js';

export interface RedisStack {
  /** "express", "fastify" or "koa": the server scripts are `<name>-sess-redis.ts` and so on. */
  name: string;
  /** "Express", "Fastify", "Koa". */
  title: string;
  anchor: { label: string; server: string; prefix: string; idOf(cookieValue: string): string };
}

/** Our id from our cookie value: the id, without its signature when signed. */
export const ourId = (value: string) => value.replace(/\.[^.]*$/, '');

/**
 * The rows of every Redis comparison, in the same order on every framework: ours configured as the
 * docs show (signed, one-day cookie), ours without the signature (what signing costs), the floor, the
 * ceiling, and the anchor (signed, one-day cookie) last.
 */
export function redisVariants(stack: RedisStack, name: WorkloadName, redis: RedisVariants): Variant[] {
  const ours = (label: string, env: Record<string, string>): Variant => ({
    label: `@sess/${stack.name} + @sess/redis (ioredis), ${label}`,
    server: `${stack.name}-sess-redis.ts`,
    cookieName: 'sid',
    env: { REDIS_URL: redis.redisUrl, ...env },
    measureOpsPerRequest: redis.countCommands(ourId),
  });
  return [
    ours('configured as the docs show (signed, one-day cookie)', { SESS_PREFIX: 'bench:sess:' }),
    ours('same but unsigned', { SESS_PREFIX: 'bench:sess-u:', SIGNED: '0' }),
    // The floor keeps a counter, not a session: it has no signed-in variant.
    ...(name === 'signed-in'
      ? []
      : [
          {
            label: `${stack.title} + plain ioredis GET/SET, no session logic (floor of a Redis store)`,
            server: `${stack.name}-ioredis-floor.ts`,
            cookieName: 'sid',
            env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: 'bench:floor:' },
          },
        ]),
    {
      label: `${stack.title} alone, no session and no Redis (ceiling)`,
      server: `${stack.name}-bare.ts`,
      cookieName: null,
    },
    {
      label: stack.anchor.label,
      server: stack.anchor.server,
      cookieName: 'sid',
      env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: stack.anchor.prefix },
      measureOpsPerRequest: redis.countCommands(stack.anchor.idOf),
    },
  ];
}

/** What every Redis section says about settings and references. */
export function settingsNote(title: string, anchorSettings: string): string {
  return `Same cookie settings on both sides (benchmarks/src/servers/cookie-settings.ts): signed with one
secret, persistent for one day (Max-Age 86400), re-sent whenever the session is saved. @sess is
configured as its docs show: \`cookie: { secrets: [secret], maxAgeMs: 86_400_000 }\` (so \`rolling\` is
on: the cookie is re-sent on every save and touch), idle timeout 30 min, the ioredis options
docs/redis.md recommends. ${anchorSettings} The "same but unsigned" row drops only the secret, to show
what signing costs in the same run. "floor" is ${title} plus the round trips any Redis-backed session
needs per request (GET, then on /inc a SET with a TTL) on a plain ioredis client, with no session
logic, no cookie signing and no parsing: no library that keeps sessions in Redis can beat it.
"ceiling" is the same ${title} app with neither sessions nor Redis. The load generator and
redis-server share the machine's 2 cores with every server, so Redis CPU per request counts here too.`;
}
