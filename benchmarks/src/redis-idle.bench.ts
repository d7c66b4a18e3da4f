import { Redis } from 'ioredis';
import { startPrivateRedis } from './lib/redis-bench.js';
import { writeSection } from './lib/report.js';
import { type ServerProcess, startServer } from './lib/server-process.js';

/**
 * What an idle deployment costs Redis: N application processes of @sess/express + @sess/redis on one
 * prefix (default options: events on, sweeper on), no traffic, commands per second and redis-server
 * CPU read from INFO over a window, for 1 and for 4 processes.
 * Usage: pnpm --filter @sess/benchmarks bench:redis-idle   (QUICK=1 for a smoke run)
 */
const quick = process.env.QUICK === '1';
const WINDOW_S = quick ? 4 : 15;
const SETTLE_S = 3;

async function measure(redisUrl: string, processes: number, sessions: number) {
  const admin = new Redis(redisUrl);
  await admin.flushall();
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      servers.push(await startServer('express-sess-redis.ts', { REDIS_URL: redisUrl, SESS_PREFIX: 'idle:' }));
    }
    // Some sessions exist (created, then left alone): the idle state of a deployment after traffic.
    for (let i = 0; i < sessions; i++) await (await fetch(`${servers[0]!.url}/inc`)).text();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
    const read = async () => {
      const info = await admin.info();
      const num = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
      return {
        commands: num('total_commands_processed'),
        cpuMs: (num('used_cpu_sys') + num('used_cpu_user')) * 1000,
        evalsha: Number(/cmdstat_evalsha:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0),
      };
    };
    const before = await read();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
    const after = await read();
    // Our own two INFO reads are in the window: leave them out.
    return {
      commandsPerSecond: (after.commands - before.commands - 3) / WINDOW_S,
      scriptCallsPerSecond: (after.evalsha - before.evalsha) / WINDOW_S,
      cpuMsPerSecond: (after.cpuMs - before.cpuMs) / WINDOW_S,
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    admin.disconnect();
  }
}

const redis = await startPrivateRedis();
try {
  const rows: string[] = [];
  for (const processes of [1, 4]) {
    const result = await measure(redis.url, processes, 20);
    console.log(processes, result);
    rows.push(
      `| ${processes} | ${result.commandsPerSecond.toFixed(1)} | ${result.scriptCallsPerSecond.toFixed(1)} | ${result.cpuMsPerSecond.toFixed(2)} |`,
    );
  }
  const section = [
    '### Redis: what an idle deployment costs',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}. Command: \`pnpm --filter @sess/benchmarks bench:redis-idle\`.`,
    `N processes of @sess/express + @sess/redis (default store options: events and sweeper on) on one prefix`,
    `of a private redis-server, 20 sessions created and then left alone, no traffic; INFO read`,
    `${SETTLE_S} s after start, over ${WINDOW_S} s. "commands" is total_commands_processed (a script's inner`,
    'commands count too); "script calls" is EVALSHA calls.',
    '',
    '| processes | Redis commands / s | script calls / s | redis-server CPU ms / s |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
  if (quick) console.log(section);
  else writeSection('redis-idle', section);
} finally {
  await redis.stop();
}
