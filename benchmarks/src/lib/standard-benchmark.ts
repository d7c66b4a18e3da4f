import { compare, type Variant, type VariantSummary, type Workload } from './compare.js';
import { renderSection, writeSection } from './report.js';

export type Route = '/inc' | '/read';

export interface StandardBenchmark {
  /** Section key in docs/benchmarks.md; the script is `bench:<key>`. */
  key: string;
  /** e.g. "Express + Redis". */
  stack: string;
  /** Variants per route, ours first, the anchor last. */
  variants(route: Route): Variant[];
  /** Text under a route's table (extra measurements, notes). */
  notes?(route: Route, workload: Workload, results: VariantSummary[]): string | Promise<string>;
}

/** The same two workloads for every comparison, so sections compare alike. QUICK=1: a smoke run. */
export function standardWorkload(route: Route, quick: boolean): Workload {
  return {
    path: route,
    createPath: '/inc',
    connections: 50,
    durationSeconds: quick ? 2 : 8,
    warmupSeconds: quick ? 1 : 2,
    repetitions: quick ? 1 : 5,
  };
}

/**
 * Runs GET /inc (read, increment, save) and GET /read (read only) for every variant, then writes the
 * section to docs/benchmarks.md (or prints it for a QUICK run).
 */
export async function runStandardBenchmark(bench: StandardBenchmark): Promise<void> {
  const quick = process.env.QUICK === '1';
  const sections: string[] = [];
  for (const route of ['/inc', '/read'] as const) {
    const workload = standardWorkload(route, quick);
    console.log(`workload GET ${route}`);
    const results = await compare(bench.variants(route), workload);
    const title =
      route === '/inc'
        ? `${bench.stack}: read, increment, save (GET /inc)`
        : `${bench.stack}: read only (GET /read)`;
    const notes = (await bench.notes?.(route, workload, results)) ?? '';
    sections.push(
      renderSection(title, `pnpm --filter @sess/benchmarks bench:${bench.key}`, workload, results, notes),
    );
  }
  if (quick) console.log(sections.join('\n\n'));
  else writeSection(bench.key, sections.join('\n\n'));
}
