/**
 * The memory store at its cap (#14 item 2): new sessions per second, and the latency of an unrelated
 * session's request, once `maxSessions` (100 000) is reached, for this tree's store against the store
 * of an earlier commit (the anchor), in the same run: each run in its own process, variants alternating,
 * medians reported. Writes its section of docs/benchmarks.md.
 *
 *   npx tsx packages/memory/bench/eviction-at-cap.bench.ts [anchor-commit]   (default: 1530687)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createSessionRepository, type SessionStore } from '@sess/core';

const CAP = 100_000;
const RUN_MS = 3000;
const CREATORS = 8;
const PROBE_EVERY_MS = 5;
const RUNS = 3;

interface Result {
  created: number;
  seconds: number;
  probeP50: number;
  probeP99: number;
  probes: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const DOC = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One run, in this process: fill the store to its cap, then create sessions while probing another. */
async function measure(modulePath: string): Promise<Result> {
  const { MemoryStore } = (await import(modulePath)) as {
    MemoryStore: new (options: { maxSessions: number }) => SessionStore;
  };
  const repository = createSessionRepository({ store: new MemoryStore({ maxSessions: CAP }) });
  for (let i = 0; i < CAP - 1; i++) await repository.save(repository.createSession().set('n', i));
  const unrelated = repository.createSession().set('probe', 0);
  await repository.save(unrelated);

  let created = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + RUN_MS;
  // Each creator is a stream of requests that each make a new session; every request waits for its
  // turn in the event loop, as HTTP requests do.
  const creator = async () => {
    while (performance.now() < until) {
      await nextTurn();
      await repository.save(repository.createSession().set('n', created));
      created++;
    }
  };
  // The unrelated user: one request every few ms that reads and writes their own session.
  const probe = async () => {
    for (let i = 1; performance.now() < until; i++) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      const t0 = performance.now();
      await nextTurn();
      const session = await repository.findById(unrelated.id);
      if (session === null) throw new Error('the probed session was evicted');
      session.set('probe', i);
      await repository.save(session);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all([...Array.from({ length: CREATORS }, creator), probe()]);
  const seconds = (performance.now() - started) / 1000;
  await repository.close();
  latencies.sort((a, b) => a - b);
  return {
    created,
    seconds,
    probeP50: percentile(latencies, 0.5),
    probeP99: percentile(latencies, 0.99),
    probes: latencies.length,
  };
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--measure');
  if (child >= 0) {
    console.log(JSON.stringify(await measure(process.argv[child + 1]!)));
    return;
  }
  const anchor = process.argv[2] ?? '1530687';
  const anchorFile = `${here}anchor-memory-store-${anchor}.ts`;
  writeFileSync(
    anchorFile,
    execFileSync('git', ['show', `${anchor}:packages/memory/src/memory-store.ts`], { encoding: 'utf8' }),
  );
  const variants = [
    {
      name: `@sess/memory at ${anchor} (before: a full sweep per new session at the cap)`,
      module: anchorFile,
    },
    { name: '@sess/memory (this tree: evicts the least recently used in O(1))', module: '../src/index.ts' },
  ];
  const results = new Map<string, Result[]>(variants.map((v) => [v.name, []]));
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
        const out = spawnSync(
          process.execPath,
          ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', variant.module],
          { cwd: here, encoding: 'utf8', timeout: 120_000 },
        );
        if (out.status !== 0) throw new Error(`${variant.name} failed:\n${out.stderr}`);
        const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as Result;
        results.get(variant.name)!.push(result);
        console.log(variant.name, JSON.stringify(result));
      }
    }
  } finally {
    rmSync(anchorFile, { force: true });
  }
  const rows = variants.map((v) => {
    const runs = results.get(v.name)!;
    const rates = runs.map((r) => r.created / r.seconds);
    return {
      name: v.name,
      rate: median(rates),
      p50: median(runs.map((r) => r.probeP50)),
      p99: median(runs.map((r) => r.probeP99)),
      perRun: rates.map((r) => Math.round(r)).join(', '),
    };
  });
  const [before, after] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const markdown = [
    '### Memory store at its cap (maxSessions: 100 000)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}.`,
    `Command: \`npx tsx packages/memory/bench/eviction-at-cap.bench.ts ${anchor}\`. Workload: the store filled to its cap, then for ${RUN_MS / 1000} s ${CREATORS} concurrent streams of requests that each create a session (each waits for its turn in the event loop, as HTTP requests do) while an unrelated user reads and writes their own session every ${PROBE_EVERY_MS} ms; in-process (no HTTP), each run in its own process, ${RUNS} alternating runs per variant, medians reported.`,
    '',
    '| variant | new sessions/s (median) | unrelated session p50 ms | p99 ms | new sessions/s per run |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.rate)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.perRun} |`,
    ),
    '',
    `At the cap, this tree creates ${(after.rate / before.rate).toFixed(0)}× as many sessions per second as the anchor, and the unrelated session's p50 is ${(before.p50 / after.p50).toFixed(0)}× lower: eviction takes the front of the LRU order instead of sweeping all ${CAP.toLocaleString('en')} sessions for each new one.`,
  ].join('\n');
  const start = '<!-- bench:memory-cap:start -->';
  const end = '<!-- bench:memory-cap:end -->';
  const doc = readFileSync(DOC, 'utf8');
  const block = `${start}\n${markdown}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  writeFileSync(
    DOC,
    from >= 0 && to > from
      ? doc.slice(0, from) + block + doc.slice(to + end.length)
      : `${doc.trimEnd()}\n\n${block}\n`,
  );
  console.log(markdown);
}

await main();
