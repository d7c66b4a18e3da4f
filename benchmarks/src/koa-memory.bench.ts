import { compare, type Workload } from './lib/compare.js';
import { renderSection, writeSection } from './lib/report.js';

/**
 * @sess/koa + @sess/memory against koa-session with an in-memory external store (server-side
 * sessions on both sides), same workload, same run.
 * Usage: pnpm --filter @sess/benchmarks bench:koa-memory   (QUICK=1 for a smoke run)
 */
const quick = process.env.QUICK === '1';
const variants = [
  { label: '@sess/koa + @sess/memory', server: 'koa-sess-memory.ts', cookieName: 'sid' },
  { label: 'koa-session + in-memory store (anchor)', server: 'koa-session-memory.ts', cookieName: 'sid' },
];
const notes =
  'koa-session stores the session in the cookie unless given a store; the anchor gets an in-memory ' +
  "external store (a Map of JSON strings with expiry, like express-session's MemoryStore) so both " +
  'sides keep server-side sessions. Unsigned cookies on both sides, browser-session cookies.';
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
        ? 'Koa + memory: read, increment, save (GET /inc)'
        : 'Koa + memory: read only (GET /read)',
      'pnpm --filter @sess/benchmarks bench:koa-memory',
      workload,
      results,
      notes,
    ),
  );
}
if (!quick) writeSection('koa-memory', sections.join('\n\n'));
else console.log(sections.join('\n\n'));
