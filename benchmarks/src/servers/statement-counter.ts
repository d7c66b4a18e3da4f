import type { Express } from 'express';
import type pg from 'pg';

/**
 * Counts every statement sent through `pool.query` by its leading verb (SELECT, UPDATE, ...). Both
 * benchmark servers run all their SQL through pool.query, so this is the statements per request.
 */
function countStatements(target: pg.Pool): Map<string, number> {
  const counts = new Map<string, number>();
  const query = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const config = args[0];
    const text = typeof config === 'string' ? config : String((config as { text?: string }).text ?? '');
    // A statement with CTEs counts as the verb of its main part (WITH ... UPDATE is an UPDATE).
    const verbs = text.toUpperCase().match(/\b(SELECT|INSERT|UPDATE|DELETE)\b/g) ?? ['?'];
    const verb = text.includes('pg_notify')
      ? 'NOTIFY'
      : /^\s*WITH\b/i.test(text)
        ? (verbs.findLast((v) => v !== 'SELECT') ?? 'SELECT')
        : verbs[0]!;
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
    return query(...args);
  };
  return counts;
}

/**
 * With COUNT_STATEMENTS=1 (a separate process from the timed runs): counts the pool's statements and
 * serves them at GET /__statements (statements since last asked). Returns a function that resets the
 * count, for servers that run setup statements first. Without the variable, does nothing.
 */
export function exposeStatementCounts(app: Express, pool: pg.Pool): () => void {
  if (process.env.COUNT_STATEMENTS !== '1') return () => undefined;
  const counted = countStatements(pool);
  app.get('/__statements', (_req, res) => {
    res.json(Object.fromEntries(counted));
    counted.clear();
  });
  return () => counted.clear();
}
