import type { SessionWrite } from '@sess/core';
import { RedisStore } from '@sess/redis';
import { Redis } from 'ioredis';
import { median } from './lib/process-cpu.js';
import { startPrivateRedis } from './lib/redis-bench.js';
import { writeSection } from './lib/report.js';

/**
 * What one session update costs Redis itself: INFO commandstats' usec_per_call (time Redis spends
 * executing a command, a script's inner commands included, network excluded) for
 * - the anchor's whole-session write: connect-redis' `SET <key> <session JSON> PX <ttl>` of an /inc
 *   session as express-session serializes it;
 * - @sess/redis' common update (the UPDATE script: a changed counter and the timestamps);
 * - @sess/redis' general write script (SAVE), which the common update replaced (still used for
 *   creates, principal changes and removals): the update path before this change.
 * 20 000 calls each on 50 sessions, 100 in flight, alternating, 3 runs, medians.
 * Usage: pnpm --filter @sess/benchmarks bench:redis-update-cost   (QUICK=1 for a smoke run)
 */
const quick = process.env.QUICK === '1';
const CALLS = quick ? 2000 : 20_000;
const RUNS = quick ? 1 : 3;

const redis = await startPrivateRedis();
const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
await new Promise((resolve) => client.once('ready', resolve));
const store = new RedisStore({ client, prefix: 'cost:', events: false, sweeper: false });

const now = Date.now();
const ttl = 1_800_000;
const write = (id: string, count: number, general: boolean): SessionWrite => ({
  id,
  kind: count === 0 ? 'create' : 'update',
  now,
  createdAt: now,
  lastAccessedAt: now,
  maxInactiveMs: ttl,
  absoluteExpiresAt: null,
  expiresAt: now + ttl,
  ...(count === 0 ? { principal: null } : {}),
  set: new Map([['count', String(count)]]),
  // A removal of an absent attribute routes the write through the general script, changing nothing else.
  removed: general ? ['absent'] : [],
});
const ids = Array.from({ length: 50 }, (_, i) => `cost-session-${String(i).padStart(40, '0')}`);
for (const id of ids) await store.save(write(id, 0, false));
const anchorJson = (count: number) =>
  JSON.stringify({
    cookie: {
      originalMaxAge: 86_400_000,
      expires: new Date(now + 86_400_000).toISOString(),
      secure: false,
      httpOnly: true,
      path: '/',
    },
    count,
  });

async function usecPerCall(command: string, send: (i: number) => Promise<unknown>): Promise<number> {
  await client.config('RESETSTAT');
  for (let i = 0; i < CALLS; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => send(i + j)));
  }
  const stats = await client.info('commandstats');
  return Number(
    new RegExp(`cmdstat_${command}:calls=\\d+,usec=\\d+,usec_per_call=([\\d.]+)`).exec(stats)?.[1],
  );
}

const variants: [string, string, (i: number) => Promise<unknown>][] = [
  [
    '@sess/redis common update (UPDATE script)',
    'evalsha',
    (i) => store.save(write(ids[i % 50]!, i + 1, false)),
  ],
  [
    '@sess/redis general write script (SAVE; the update path before)',
    'evalsha',
    (i) => store.save(write(ids[i % 50]!, i + 1, true)),
  ],
  [
    "connect-redis' whole-session SET ... PX (anchor)",
    'set',
    (i) => client.set(`cost:cr:${ids[i % 50]}`, anchorJson(i), 'PX', 86_400_000),
  ],
];
const samples = new Map<string, number[]>(variants.map(([label]) => [label, []]));
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [label, command, send] of variants) {
      const value = await usecPerCall(command, send);
      samples.get(label)!.push(value);
      console.log(`${label}: ${value} µs per call`);
    }
  }
} finally {
  await store.close();
  client.disconnect();
  await redis.stop();
}
const anchor = median(samples.get(variants[2]![0])!);
const rows = variants.map(([label]) => {
  const values = samples.get(label)!;
  return `| ${label} | ${median(values).toFixed(2)} | ${(median(values) / anchor).toFixed(1)}× | ${values.join(', ')} |`;
});
const section = [
  '### Redis: CPU per session update inside Redis',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)}. Command: \`pnpm --filter @sess/benchmarks bench:redis-update-cost\`.`,
  `INFO commandstats \`usec_per_call\` on a private redis-server (time spent executing the command, a script's`,
  `inner commands included; network and parsing excluded), ${CALLS} calls per run on 50 sessions with 100 in`,
  `flight, ${RUNS} alternating runs, medians.`,
  '',
  "| write | µs per call (median) | vs the anchor's SET | per run |",
  '|---|---|---|---|',
  ...rows,
].join('\n');
if (quick) console.log(section);
else writeSection('redis-update-cost', section);
