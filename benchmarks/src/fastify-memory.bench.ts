import { compare, type Workload } from './lib/compare.js';
import { renderSection, writeSection } from './lib/report.js';

/**
 * @sess/fastify + @sess/memory against @fastify/session + its memory store, same workload, same run.
 * Usage: pnpm --filter @sess/benchmarks bench:fastify-memory   (QUICK=1 for a smoke run)
 */
const quick = process.env.QUICK === '1';
const variants = [
  { label: '@sess/fastify + @sess/memory', server: 'fastify-sess-memory.ts', cookieName: 'sid' },
  {
    label: '@fastify/session + memory store (anchor)',
    server: 'fastify-session-memory.ts',
    cookieName: 'sid',
  },
];
const notes =
  'Anchor configured like @sess defaults: `saveUninitialized: false`, `rolling: false` (its default ' +
  're-saves and re-sends every session on every request), `cookie.secure: false` for plain HTTP. ' +
  'It signs its cookie; @sess sends an unsigned 256-bit id by default.';
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
        ? 'Fastify + memory: read, increment, save (GET /inc)'
        : 'Fastify + memory: read only (GET /read)',
      'pnpm --filter @sess/benchmarks bench:fastify-memory',
      workload,
      results,
      notes,
    ),
  );
}
if (!quick) writeSection('fastify-memory', sections.join('\n\n'));
else console.log(sections.join('\n\n'));
