import { compare, type Workload } from './lib/compare.js';
import { renderSection, writeSection } from './lib/report.js';

/**
 * @sess/express + @sess/memory against express-session + its MemoryStore, same workload, same run.
 * Usage: pnpm --filter @sess/benchmarks bench:express-memory   (QUICK=1 for a smoke run)
 */
const quick = process.env.QUICK === '1';
const variants = [
  { label: '@sess/express + @sess/memory', server: 'express-sess-memory.ts', cookieName: 'sid' },
  { label: 'express-session + MemoryStore (anchor)', server: 'express-session-memory.ts', cookieName: 'sid' },
];
const sections: string[] = [];
for (const path of ['/inc', '/read']) {
  const workload: Workload = {
    path,
    createPath: '/inc',
    connections: 50,
    durationSeconds: quick ? 2 : 8,
    warmupSeconds: quick ? 1 : 2,
    repetitions: quick ? 1 : 5,
  };
  console.log(`workload GET ${path}`);
  const results = await compare(variants, workload);
  sections.push(
    renderSection(
      path === '/inc'
        ? 'Express + memory: read, increment, save (GET /inc)'
        : 'Express + memory: read only (GET /read)',
      'pnpm --filter @sess/benchmarks bench:express-memory',
      workload,
      results,
    ),
  );
}
if (!quick) writeSection('express-memory', sections.join('\n\n'));
else console.log(sections.join('\n\n'));
