import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineLine, type VariantSummary, type Workload } from './compare.js';

const DOC = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

/** Markdown table of one comparison; the first summary is ours, the last the anchor. */
export function renderSection(
  title: string,
  command: string,
  workload: Workload,
  summaries: VariantSummary[],
  notes = '',
): string {
  const anchor = summaries[summaries.length - 1]!;
  const hasOps = summaries.some((s) => s.opsPerRequest !== undefined);
  const hasStoreCpu = summaries.some((s) => s.medianStoreCpuUsPerRequest !== undefined);
  const rows = summaries.map((s) => {
    const ratio = (s.medianRps / anchor.medianRps).toFixed(2);
    const runs = s.runs.map((r) => r.requestsPerSecond.toFixed(0)).join(', ');
    const ops = !hasOps ? '' : ` ${s.opsPerRequest ?? '—'} |`;
    const cpu = `${s.medianCpuUsPerRequest.toFixed(0)} (${(anchor.medianCpuUsPerRequest / s.medianCpuUsPerRequest).toFixed(2)}×)`;
    const store = !hasStoreCpu ? '' : ` ${s.medianStoreCpuUsPerRequest?.toFixed(0) ?? '—'} |`;
    return `| ${s.label} | ${s.medianRps.toFixed(0)} | ${s.medianP99Ms} | ${ratio}× | ${cpu} |${store}${ops} ${runs} |`;
  });
  const opsHeader = hasOps ? ' store ops / request |' : '';
  const opsRule = opsHeader ? '---|' : '';
  const storeHeader = hasStoreCpu ? ' redis-server CPU µs / request |' : '';
  const storeRule = storeHeader ? '---|' : '';
  return [
    `### ${title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`,
    `Command: \`${command}\`. Workload: \`GET ${workload.path}\` with one session per connection` +
      (workload.createPath === workload.path ? ', ' : ` (each created by \`GET ${workload.createPath}\`), `) +
      `${workload.connections} connections, ${workload.durationSeconds} s per run after ${workload.warmupSeconds} s warm-up, ` +
      `${workload.repetitions} alternating runs per variant, each server in its own process; medians reported.`,
    '',
    `| variant | req/s (median) | p99 ms (median) | vs anchor | server CPU µs / request (anchor ÷ this) |${storeHeader}${opsHeader} req/s per run |`,
    `|---|---|---|---|---|${storeRule}${opsRule}---|`,
    ...rows,
    '',
    notes,
  ].join('\n');
}

/** Replaces (or appends) the section between this benchmark's markers in docs/benchmarks.md. */
export function writeSection(key: string, markdown: string): void {
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next =
    from >= 0 && to > from
      ? doc.slice(0, from) + block + doc.slice(to + end.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(DOC, next);
  console.log(`wrote section "${key}" to ${DOC}`);
}
