import { Redis } from 'ioredis';
import { SAVE } from '../packages/redis/src/redis-scripts.ts';

const r = new Redis(6499);
const N = 20000;
async function stats() {
  const s = await r.info('commandstats');
  return Object.fromEntries(
    s
      .split('\n')
      .filter((l) => l.startsWith('cmdstat_'))
      .map((l) => {
        const m = /cmdstat_([\w|]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/.exec(l)!;
        return [m[1], { calls: +m[2], usec: +m[3], per: +m[4] }];
      }),
  );
}
async function run(label: string, fn: (i: number) => Promise<unknown>) {
  await r.config('RESETSTAT');
  for (let i = 0; i < N; i += 100) {
    const p = [];
    for (let j = 0; j < 100; j++) p.push(fn(i + j));
    await Promise.all(p);
  }
  const s = await stats();
  console.log(
    label,
    JSON.stringify(
      Object.fromEntries(
        Object.entries(s)
          .filter(([k]) => k !== 'config' && k !== 'info')
          .map(([k, v]) => [k, v.per]),
      ),
    ),
  );
}
const json = JSON.stringify({
  cookie: {
    originalMaxAge: 86400000,
    expires: new Date().toISOString(),
    secure: false,
    httpOnly: true,
    path: '/',
  },
  count: 12,
});
await run('SET', (i) => r.set(`a:${i % 50}`, json, 'PX', 86400000));
const now = Date.now();
for (let i = 0; i < 50; i++)
  await SAVE.run(
    r as any,
    [`s{b1}:s:${i}`, 's{b1}:expiries', 's{b1}:owners'],
    [
      'create',
      now,
      1800000,
      '',
      String(i),
      '',
      '',
      3600000,
      6,
      'm:accessed',
      String(now),
      'm:expires',
      String(now + 1800000),
      'm:idle',
      '1800000',
      'm:created',
      String(now),
      'm:absolute',
      '',
      'a:count',
      '1',
    ],
  );
await run('SAVE update', (i) =>
  SAVE.run(
    r as any,
    [`s{b1}:s:${i % 50}`, 's{b1}:expiries', 's{b1}:owners'],
    [
      'update',
      now,
      1800000,
      '',
      String(i % 50),
      '',
      '',
      3600000,
      4,
      'm:accessed',
      String(now),
      'm:expires',
      String(now + 1800000),
      'm:idle',
      '1800000',
      'a:count',
      String(i),
    ],
  ),
);
const lean = `local m = redis.call('HMGET', KEYS[1], 'm:expires', 'm:moving', 'm:principal', 'm:ixuntil')
local expires = tonumber(m[1])
if m[2] or not expires or expires <= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;
const sha = (await r.script('LOAD', lean)) as string;
await run('lean', (i) =>
  r.evalsha(
    sha,
    1,
    `s{b1}:s:${i % 50}`,
    now,
    1800000,
    String(i % 50),
    'm:accessed',
    String(now),
    'm:expires',
    String(now + 1800000),
    'm:idle',
    '1800000',
    'a:count',
    String(i),
  ),
);
const lean2 = `local m = redis.call('HMGET', KEYS[1], 'm:expires', 'm:moving')
if m[2] or not m[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;
const sha2 = (await r.script('LOAD', lean2)) as string;
await run('lean2 fewer args', (i) =>
  r.evalsha(
    sha2,
    1,
    `s{b1}:s:${i % 50}`,
    now,
    1800000,
    'm:accessed',
    String(now),
    'm:expires',
    String(now + 1800000),
    'a:count',
    String(i),
  ),
);
const empty = (await r.script('LOAD', 'return 1')) as string;
await run('empty script', (i) =>
  r.evalsha(
    empty,
    1,
    `s{b1}:s:${i % 50}`,
    now,
    1800000,
    'm:accessed',
    String(now),
    'm:expires',
    String(now + 1800000),
    'a:count',
    String(i),
  ),
);
await run('HSET+PEXPIRE plain', async (i) => {
  await r.hset(
    `s{b1}:s:${i % 50}`,
    'm:accessed',
    String(now),
    'm:expires',
    String(now + 1800000),
    'a:count',
    String(i),
  );
});
r.disconnect();
