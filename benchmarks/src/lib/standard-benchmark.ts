import { compare, type Variant, type VariantSummary, type Workload } from './compare.js';
import { renderSection, writeSection } from './report.js';

/**
 * The standard workloads: 'inc' reads, increments and saves a counter (GET /inc); 'read' only reads it
 * (GET /read); 'signed-in' runs GET /inc on sessions that a GET /login filled with a signed-in user's
 * data (servers/signed-in.ts), so the session is no longer tiny.
 */
export type WorkloadName = 'inc' | 'read' | 'signed-in';

export interface StandardBenchmark {
  /** Section key in docs/benchmarks.md; the script is `bench:<key>`. */
  key: string;
  /** e.g. "Express + Redis". */
  stack: string;
  /** Also run the 'signed-in' workload (the servers must serve GET /login). */
  signedIn?: boolean;
  /** Variants per workload, ours first, the anchor last. */
  variants(workload: WorkloadName): Variant[];
  /** Text under a workload's table (extra measurements, notes). */
  notes?(name: WorkloadName, workload: Workload, results: VariantSummary[]): string | Promise<string>;
  /** Also measure this process's CPU per request (a private redis-server), reported beside the server's. */
  storePid?: number | null;
  /** Workloads to run (default all of this benchmark's); BENCH_WORKLOADS=inc,read narrows it too. */
  workloads?: WorkloadName[];
}

const PATHS: Record<WorkloadName, { path: string; createPath: string; title: string }> = {
  inc: { path: '/inc', createPath: '/inc', title: 'read, increment, save (GET /inc)' },
  read: { path: '/read', createPath: '/inc', title: 'read only (GET /read)' },
  'signed-in': {
    path: '/inc',
    createPath: '/login',
    title: 'signed-in session (1.1 KB of user data), read, increment, save (GET /inc)',
  },
};

/**
 * The same workloads for every comparison, so sections compare alike. QUICK=1: a smoke run.
 * BENCH_SECONDS, BENCH_WARMUP and BENCH_REPS override the run length, warm-up and repetitions;
 * BENCH_WORKLOADS (inc,read,signed-in) and BENCH_VARIANTS (a regular expression on row labels) narrow
 * a run (for A/B checks; a section is written only when nothing is narrowed).
 */
export function standardWorkload(name: WorkloadName, quick: boolean): Workload {
  const env = (key: string, fallback: number) => Number(process.env[key] ?? fallback);
  return {
    ...PATHS[name],
    connections: 50,
    durationSeconds: env('BENCH_SECONDS', quick ? 2 : 8),
    warmupSeconds: env('BENCH_WARMUP', quick ? 1 : 2),
    repetitions: env('BENCH_REPS', quick ? 1 : 5),
  };
}

/**
 * Runs the workloads for every variant, then writes the section to docs/benchmarks.md (or prints it
 * for a QUICK run).
 */
export async function runStandardBenchmark(bench: StandardBenchmark): Promise<void> {
  const quick = process.env.QUICK === '1';
  const all: WorkloadName[] = bench.signedIn ? ['inc', 'read', 'signed-in'] : ['inc', 'read'];
  const only = process.env.BENCH_WORKLOADS?.split(',');
  const names = all.filter((name) => !only || only.includes(name));
  const sections: string[] = [];
  for (const name of names) {
    const workload = standardWorkload(name, quick);
    console.log(`workload ${name}: GET ${workload.path}`);
    const pick = process.env.BENCH_VARIANTS ? new RegExp(process.env.BENCH_VARIANTS) : null;
    const variants = bench.variants(name).filter((v) => !pick || pick.test(v.label));
    const results = await compare(variants, workload, bench.storePid ?? null);
    const notes = (await bench.notes?.(name, workload, results)) ?? '';
    sections.push(
      renderSection(
        `${bench.stack}: ${PATHS[name].title}`,
        `pnpm --filter @sess/benchmarks bench:${bench.key}`,
        workload,
        results,
        notes,
      ),
    );
  }
  if (quick || process.env.BENCH_WORKLOADS || process.env.BENCH_VARIANTS) console.log(sections.join('\n\n'));
  else writeSection(bench.key, sections.join('\n\n'));
}
