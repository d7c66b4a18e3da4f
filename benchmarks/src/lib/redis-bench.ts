import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type Variant, type Workload, withLoadedServer } from './compare.js';
import { runLoad } from './load.js';
import { cpuMs, median } from './process-cpu.js';
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
/** Runs per variant and seconds per run of the CPU-per-request measurement (Linux only). */
const CPU_REPETITIONS = quick ? 1 : 3;
const CPU_SECONDS = quick ? 2 : 5;

export const COUNTING_NOTE = `"store ops / request" is Redis round trips per request, by command, counted with MONITOR over
${MEASURED_REQUESTS} sequential requests on one session (once per variant, after warm-up); "inside Lua"
is what our scripts run server-side within those round trips. Commands not tied to a request (our expiry
sweeper: one script call per bucket per second) are left out. Both stacks use one Redis connection per
server process. Redis is a private redis-server the bench starts on loopback.`;

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
      // CPU per request of the server and of redis-server (its pid is known only for the private server).
      notes: async (name, workload) => {
        const cpu =
          redis.pid === null || !existsSync('/proc/self/stat')
            ? ''
            : await cpuPerRequest(variants(name), workload, redis.pid);
        return [cpu, bench.notes(name)].filter(Boolean).join('\n\n');
      },
    });
  } finally {
    await redis.stop();
  }
}

/**
 * Redis commands one request costs, counted with MONITOR over MEASURED_REQUESTS sequential requests on
 * one session. Top-level commands that name the session's id are the request's round trips (each is
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
  const id = idOf(decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)));
  // Requests the warm-up left in flight (one may be on this session) finish before counting starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const admin = new Redis(redisUrl);
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
  // Let MONITOR settle, then run the requests one at a time.
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (let i = 0; i < MEASURED_REQUESTS; i++) {
    const response = await fetch(serverUrl + path, { headers: { cookie } });
    await response.text();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status} while counting commands`);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  monitor.disconnect();
  admin.disconnect();
  const per = (n: number) => Number((n / MEASURED_REQUESTS).toFixed(2));
  const detail = [...byCommand].map(([name, n]) => `${name} ${per(n)}`).join(', ');
  const lua = inScripts > 0 ? `; +${per(inScripts)} inside Lua` : '';
  console.log(
    `    ${path}: ${per(roundTrips)} round trips (${detail})${lua}; ${other} other commands (sweeper, pings) left out`,
  );
  return `${per(roundTrips)} (${detail}${lua})`;
}

/**
 * CPU time per request of the server process and of redis-server (from /proc), alternating variants,
 * median of CPU_REPETITIONS runs. Throughput on a shared, noisy machine swings with what else runs;
 * CPU time per request swings far less, and it is what decides throughput once the server is busy.
 */
async function cpuPerRequest(variants: Variant[], workload: Workload, redisPid: number): Promise<string> {
  const samples = new Map<string, { server: number[]; redis: number[] }>(
    variants.map((v) => [v.label, { server: [], redis: [] }]),
  );
  for (let rep = 0; rep < CPU_REPETITIONS; rep++) {
    for (const variant of variants) {
      await withLoadedServer(variant, workload, async (server, load) => {
        await runLoad({ ...load, durationSeconds: 1 });
        const before = [cpuMs(server.pid), cpuMs(redisPid)] as const;
        const result = await runLoad({ ...load, durationSeconds: CPU_SECONDS });
        const requests = result.requestsPerSecond * CPU_SECONDS;
        const sample = samples.get(variant.label)!;
        sample.server.push(((cpuMs(server.pid) - before[0]) * 1000) / requests);
        sample.redis.push(((cpuMs(redisPid) - before[1]) * 1000) / requests);
      });
    }
  }
  const anchor = samples.get(variants[variants.length - 1]!.label)!;
  const rows = variants.map((v) => {
    const { server, redis } = samples.get(v.label)!;
    const ratio = (median(anchor.server) / median(server)).toFixed(2);
    return `| ${v.label} | ${median(server).toFixed(0)} | ${ratio}× | ${median(redis).toFixed(0)} | ${server.map((x) => x.toFixed(0)).join(', ')} |`;
  });
  const table = [
    `CPU time per request (${CPU_REPETITIONS} alternating runs of ${CPU_SECONDS} s, medians; "anchor ÷ this" > 1 means less CPU than the anchor):`,
    '',
    '| variant | server CPU µs / request | anchor ÷ this | redis-server CPU µs / request | server µs per run |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(table);
  return table;
}

async function startPrivateRedis(): Promise<{ url: string; pid: number | null; stop(): Promise<void> }> {
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
