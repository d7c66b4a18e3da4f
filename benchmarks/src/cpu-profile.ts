import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessions, runLoad } from './lib/load.js';
import { startPrivateRedis } from './lib/redis-bench.js';

/**
 * Where the time of one request goes: each adapter's Redis server (configured as the docs show: signed,
 * one-day cookie) under `GET /inc` load, profiled with `node --cpu-prof`, self time grouped by where the
 * code lives (framework, adapter, core, codec, cookie, store, store client, Node, GC).
 * Usage: pnpm --filter @sess/benchmarks bench:cpu-profile   (prints the tables)
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ADAPTERS = (process.env.ADAPTERS ?? 'express,fastify,koa').split(',');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Our packages are bundled (dist/index.js): their source maps tell which source file a frame is in. */
const sourceMaps = new Map<string, SourceMap | null>();
function sourceFile(url: string, line: number, column: number): string {
  if (!/\/packages\/[^/]+\/dist\/index\.js$/.test(url)) return url;
  if (!sourceMaps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    sourceMaps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
  }
  const entry = sourceMaps.get(url)?.findEntry(line, column);
  return entry && 'originalSource' in entry
    ? `${url.slice(0, url.indexOf('/dist/'))}/${entry.originalSource}`
    : url;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function category(node: ProfileNode, adapter: string): string {
  const { functionName, lineNumber, columnNumber } = node.callFrame;
  const url = sourceFile(node.callFrame.url, lineNumber, columnNumber);
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(root)') return 'native / VM';
  if (/\/packages\/core\/.*codec/.test(url)) return 'codec';
  if (/\/packages\/core\/.*(cookie|session-id-resolver)/.test(url) || /node_modules\/cookie\//.test(url))
    return 'cookie (parse, sign, serialize)';
  if (/node:internal\/crypto|node:crypto/.test(url)) return 'cookie (parse, sign, serialize)';
  if (/\/packages\/core\//.test(url)) return 'core (@sess/core)';
  if (new RegExp(`/packages/${adapter}/`).test(url)) return `adapter (@sess/${adapter})`;
  if (/\/packages\/redis\//.test(url)) return 'store (@sess/redis)';
  if (
    /node_modules\/(\.pnpm\/)?(ioredis|redis-parser|denque|@ioredis|standard-as-callback|cluster-key-slot)/.test(
      url,
    )
  )
    return 'store client (ioredis)';
  if (/benchmarks\/src\/servers\//.test(url)) return 'route handler';
  if (/node_modules/.test(url)) return `framework (${adapter} and its dependencies)`;
  if (/^node:/.test(url) || url === '') return 'Node (http, net, streams, timers)';
  return 'other';
}

async function profileOne(adapter: string, redisUrl: string): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'sess-prof-'));
  const script = fileURLToPath(new URL(`./servers/${adapter}-sess-redis.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', script], {
    env: {
      ...process.env,
      PORT: '0',
      NODE_ENV: 'production',
      REDIS_URL: redisUrl,
      SESS_PREFIX: `prof:${adapter}:`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const cookies = await createSessions(url, '/inc', 50, 'sid');
  const load = { url, path: '/inc', connections: 50, cookies };
  await runLoad({ ...load, durationSeconds: 1 });
  const result = await runLoad({ ...load, durationSeconds: SECONDS });
  child.kill('SIGTERM');
  await once(child, 'exit');
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  rmSync(dir, { recursive: true, force: true });
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const nodeFunctions = new Map<string, number>();
  // Only the measured run: the profile ends right after it (the server is stopped then), so keep the
  // samples of its last SECONDS, leaving out startup, session creation and warm-up.
  const from = profile.endTime - SECONDS * 1_000_000;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const node = byId.get(profile.samples[i]!)!;
    const name = category(node, adapter);
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    if (name.startsWith('Node')) {
      const fn = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^node:internal\//, '')}`;
      nodeFunctions.set(fn, (nodeFunctions.get(fn) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  totals.delete('idle');
  const top = [...nodeFunctions].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const busyAll = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(
    `  top of "Node": ${top.map(([fn, us]) => `${fn} ${((us / busyAll) * 100).toFixed(1)} %`).join('; ')}`,
  );
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  const requests = result.requestsPerSecond * SECONDS;
  const perRequest = new Map<string, number>();
  console.log(`${adapter}: ${result.requestsPerSecond.toFixed(0)} req/s while profiled`);
  for (const [name, micros] of totals) perRequest.set(name, micros / busy);
  perRequest.set('__requests', requests);
  return perRequest;
}

const redis = await startPrivateRedis();
try {
  for (const adapter of ADAPTERS) {
    const shares = await profileOne(adapter, redis.url);
    shares.delete('__requests');
    const rows = [...shares]
      .sort((a, b) => b[1] - a[1])
      .map(([name, share]) => `| ${name} | ${(share * 100).toFixed(1)} % |`);

    console.log(
      [
        `\n${adapter} (${process.env.LABEL ?? ''}):`,
        '| where | share of busy CPU |',
        '|---|---|',
        ...rows,
      ].join('\n'),
    );
  }
} finally {
  await redis.stop();
}
