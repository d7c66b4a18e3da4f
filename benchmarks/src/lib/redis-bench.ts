import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Variant } from './compare.js';
import { runStandardBenchmark, standardWorkload, type WorkloadName } from './standard-benchmark.js';

/**
 * What the Redis comparisons (Express, Fastify) share: a private redis-server, Redis commands counted
 * per request, and CPU per request of the server and of redis-server. By default the bench starts its
 * own redis-server on a free loopback port, so nothing else (other test runs on a shared Redis) skews
 * throughput or the command counts; BENCH_REDIS_URL uses an existing Redis instead (a private one:
 * commands are counted server-wide).
 */
const quick = process.env.QUICK === '1';
/** Sequential requests on one session whose Redis commands are counted. */
const MEASURED_REQUESTS = 50;

export const COUNTING_NOTE = `"store ops / request" is Redis round trips per request, by command, counted with MONITOR over
${MEASURED_REQUESTS} sequential requests on one session (once per variant, after warm-up); "inside Lua"
is what our scripts run server-side within those round trips. "µs in Redis" is the time Redis spent
executing those commands (SLOWLOG with a 0 µs threshold over as many requests again, without MONITOR;
a script call's time includes its inner commands), per request and per call. Commands not tied to a request (our expiry
sweeper) are left out. "redis-server CPU" is the whole redis-server process (commands, socket reads
and writes) per request during the timed runs. Every stack uses one Redis connection per server
process. Redis is a private redis-server the bench starts on loopback.`;

export interface RedisVariants {
  redisUrl: string;
  /** Counts the Redis commands of one request; idOf turns the cookie value into the session id. */
  countCommands(idOf: (cookieValue: string) => string): NonNullable<Variant['measureOpsPerRequest']>;
}

export interface RedisBenchmark {
  key: string;
  stack: string;
  variants(name: WorkloadName, redis: RedisVariants): Variant[];
  notes(name: WorkloadName): string;
}

/** Runs the standard workloads (with 'signed-in') against a private Redis and writes the section. */
export async function runRedisBenchmark(bench: RedisBenchmark): Promise<void> {
  const redis = process.env.BENCH_REDIS_URL
    ? { url: process.env.BENCH_REDIS_URL, pid: null, stop: async () => undefined }
    : await startPrivateRedis();
  try {
    const variants = (name: WorkloadName): Variant[] => {
      const path = standardWorkload(name, quick).path;
      return bench.variants(name, {
        redisUrl: redis.url,
        countCommands: (idOf) => (url, cookie) => countCommands(redis.url, url, path, cookie, idOf),
      });
    };
    await runStandardBenchmark({
      key: bench.key,
      stack: bench.stack,
      signedIn: true,
      variants,
      // CPU per request of redis-server too (its pid is known only for the private server, on Linux).
      storePid: redis.pid !== null && existsSync('/proc/self/stat') ? redis.pid : null,
      notes: (name) => bench.notes(name),
    });
  } finally {
    await redis.stop();
  }
}

/**
 * Redis commands one request costs, counted with MONITOR over MEASURED_REQUESTS sequential requests on
 * one session, and the time Redis spent executing them, from SLOWLOG with a threshold of 0 µs (every
 * top-level command, its arguments and its execution time; a script's inner commands are part of its
 * call's time). Top-level commands that name the session's id are the request's round trips (each is
 * awaited before the next here); commands a Lua script runs are attributed to the script call they
 * follow (MONITOR lists a script's own commands right after it). Background work that does not name
 * the session (the expiry sweeper, pings) is left out and reported separately.
 */
async function countCommands(
  redisUrl: string,
  serverUrl: string,
  path: string,
  cookie: string,
  idOf: (cookieValue: string) => string,
): Promise<string> {
  const first = cookie.split(';')[0]!;
  const id = idOf(decodeURIComponent(first.slice(first.indexOf('=') + 1)));
  // Requests the warm-up left in flight (one may be on this session) finish before counting starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const admin = new Redis(redisUrl);
  const slowlog = (await admin.config('GET', 'slowlog-*')) as unknown as string[];
  await admin.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '4096');
  const monitor = await admin.monitor();
  const byCommand = new Map<string, number>();
  let roundTrips = 0;
  let inScripts = 0;
  let other = 0;
  let inRequestScript = false;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      if (inRequestScript) inScripts++;
      return;
    }
    const mine = args.some((arg) => arg.includes(id));
    inRequestScript = mine && /^eval/i.test(args[0] ?? '');
    if (!mine) {
      other++;
      return;
    }
    roundTrips++;
    const name = (args[0] ?? '?').toLowerCase();
    byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
  });
  const requests = async () => {
    for (let i = 0; i < MEASURED_REQUESTS; i++) {
      const response = await fetch(serverUrl + path, { headers: { cookie } });
      await response.text();
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status} while counting commands`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  // Let MONITOR settle, then run the requests one at a time.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await requests();
  monitor.disconnect();
  // Timing in a second pass, without MONITOR (which feeds every command, a script's too, to the
  // monitor while the script runs, and so would inflate script times).
  await admin.slowlog('RESET');
  await requests();
  const entries = (await admin.slowlog('GET', 4096)) as [number, number, number, string[]][];
  await admin.config('SET', ...(slowlog as [string, string, string, string]));
  admin.disconnect();
  const usByCommand = new Map<string, number>();
  for (const [, , micros, args] of entries) {
    const name = String(args[0]).toLowerCase();
    // SLOWLOG also lists a script's inner commands: keep the top-level ones MONITOR counted.
    if (!byCommand.has(name) || !args.some((arg) => String(arg).includes(id))) continue;
    usByCommand.set(name, (usByCommand.get(name) ?? 0) + Number(micros));
  }
  const per = (n: number) => Number((n / MEASURED_REQUESTS).toFixed(2));
  const detail = [...byCommand].map(([name, n]) => `${name} ${per(n)}`).join(', ');
  const lua = inScripts > 0 ? `; +${per(inScripts)} inside Lua` : '';
  const totalUs = [...usByCommand.values()].reduce((a, b) => a + b, 0);
  const timing = [...usByCommand]
    .map(([name, us]) => `${name} ${(us / (byCommand.get(name) ?? 1)).toFixed(1)}`)
    .join(', ');
  console.log(
    `    ${path}: ${per(roundTrips)} round trips (${detail})${lua}; Redis µs/request ${per(totalUs)} (per call: ${timing}); ${other} other commands (sweeper, pings) left out`,
  );
  return `${per(roundTrips)} (${detail}${lua}); ${per(totalUs)} µs in Redis (µs per call: ${timing})`;
}

export async function startPrivateRedis(): Promise<{
  url: string;
  pid: number | null;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sess-bench-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  let info = '';
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited`);
    try {
      await probe.connect();
      info = await probe.info('server');
      break;
    } catch {
      probe.disconnect();
      if (i >= 100) throw new Error(`redis-server on port ${port} did not answer within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  probe.disconnect();
  const version = /redis_version:(\S+)/.exec(info);
  console.log(`private redis-server ${version?.[1] ?? ''} on ${url}`);
  return {
    url,
    pid: child.pid ?? null,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
