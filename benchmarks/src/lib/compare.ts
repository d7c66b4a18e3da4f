import { cpus } from 'node:os';
import { createSessions, type LoadOptions, type LoadResult, runLoad } from './load.js';
import { cpuMs, median } from './process-cpu.js';
import { type ServerProcess, startServer } from './server-process.js';

export interface Variant {
  /** Row label, e.g. "@sess/express + @sess/memory". */
  label: string;
  /** Server script under src/servers/. */
  server: string;
  /** Session cookie name the server uses; null for a server without sessions (the ceiling). */
  cookieName: string | null;
  env?: Record<string, string>;
  /** Counts store operations for one request, when the bench can observe them (e.g. Redis MONITOR). */
  measureOpsPerRequest?: (url: string, cookie: string) => Promise<number | string>;
}

export interface Workload {
  /** Route every request hits. */
  path: string;
  /** Route that creates a session (first visit). */
  createPath: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  repetitions: number;
}

export interface VariantSummary {
  label: string;
  runs: LoadResult[];
  medianRps: number;
  medianP99Ms: number;
  /**
   * Server CPU (user + system) per request, µs. On a shared 2-core machine the load generator competes
   * with the server, so throughput swings with what else runs; CPU per request swings far less.
   */
  medianCpuUsPerRequest: number;
  /** CPU per request of the store's server process (a private redis-server), µs; when measured. */
  medianStoreCpuUsPerRequest?: number;
  opsPerRequest?: number | string;
}

/**
 * Runs every variant `repetitions` times, alternating (A B A B ...) so machine noise hits all alike,
 * each in a fresh server process with fresh sessions, and reports medians.
 */
export async function compare(
  variants: Variant[],
  workload: Workload,
  storePid: number | null = null,
): Promise<VariantSummary[]> {
  const runs = new Map<string, LoadResult[]>(variants.map((v) => [v.label, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  const storeCpu = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  const ops = new Map<string, number | string>();
  for (let rep = 0; rep < workload.repetitions; rep++) {
    for (const variant of variants) {
      await withLoadedServer(variant, workload, async (server, load) => {
        if (workload.warmupSeconds > 0) await runLoad({ ...load, durationSeconds: workload.warmupSeconds });
        if (rep === 0 && variant.measureOpsPerRequest)
          ops.set(variant.label, await variant.measureOpsPerRequest(server.url, load.cookies[0]!));
        const cpuBefore = cpuMs(server.pid);
        const storeBefore = storePid === null ? 0 : cpuMs(storePid);
        const result = await runLoad({ ...load, durationSeconds: workload.durationSeconds });
        const requests = result.requestsPerSecond * workload.durationSeconds;
        cpu.get(variant.label)!.push(((cpuMs(server.pid) - cpuBefore) * 1000) / requests);
        if (storePid !== null)
          storeCpu.get(variant.label)!.push(((cpuMs(storePid) - storeBefore) * 1000) / requests);
        if (result.errors > 0 || result.non2xx > 0)
          throw new Error(`${variant.label}: ${result.errors} errors, ${result.non2xx} non-2xx`);
        runs.get(variant.label)!.push(result);
        console.log(
          `  ${variant.label} rep ${rep + 1}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms`,
        );
      });
    }
  }
  return variants.map((variant) => {
    const results = runs.get(variant.label)!;
    return {
      label: variant.label,
      runs: results,
      medianRps: median(results.map((r) => r.requestsPerSecond)),
      medianP99Ms: median(results.map((r) => r.p99Ms)),
      medianCpuUsPerRequest: median(cpu.get(variant.label)!),
      ...(storePid === null ? {} : { medianStoreCpuUsPerRequest: median(storeCpu.get(variant.label)!) }),
      ...(ops.has(variant.label) ? { opsPerRequest: ops.get(variant.label)! } : {}),
    };
  });
}

/**
 * Starts the variant's server in its own process, creates one session per connection, hands over the
 * load settings (everything but the duration), and stops the server afterwards.
 */
export async function withLoadedServer<T>(
  variant: Variant,
  workload: Workload,
  run: (server: ServerProcess, load: Omit<LoadOptions, 'durationSeconds'>) => Promise<T>,
): Promise<T> {
  const server = await startServer(variant.server, variant.env);
  try {
    const cookies = await createSessions(
      server.url,
      workload.createPath,
      workload.connections,
      variant.cookieName,
    );
    return await run(server, {
      url: server.url,
      path: workload.path,
      connections: workload.connections,
      cookies,
    });
  } finally {
    await server.stop();
  }
}

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;
}
