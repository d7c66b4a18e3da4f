import type { TableNames } from './table-names.js';

/**
 * The SQL text of every statement the store runs, built once per store from checked, quoted names.
 * Values always travel as parameters. Each statement is one round trip and touches one session row
 * (cleanup: one bounded batch), so there is no read-modify-write and no lock held between statements.
 * None of them sends NOTIFY itself: see event-publisher.ts for why events are sent in batches.
 */
export interface SessionStatements {
  readonly load: string;
  /** The same for several ids at once ($1 text[]). */
  readonly loadMany: string;
  readonly findByPrincipal: string;
  readonly create: string;
  /** Variants by what the delta contains, so an unchanged attributes document is never rewritten. */
  update(principal: boolean, set: boolean, removed: boolean): string;
  /**
   * Several sessions' deltas in one statement, one array parameter per field ($1 ids, $2 now, $3 last
   * access, $4 idle timeout, $5 expiry, $6 principal changed, $7 principal, $8 removed names as a
   * jsonb array or null, $9 set document or null). The ids must be distinct. Returns the updated ids.
   */
  readonly updateMany: string;
  readonly touch: string;
  readonly delete: string;
  readonly changeId: string;
  readonly cleanup: string;
}

/** Epoch ms parameter -> timestamptz. Exact: timestamptz keeps microseconds. */
const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`;
/** timestamptz column -> epoch ms as a JS number (float8 parses to number; bigint would be a string). */
const ms = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8`;

const RECORD_COLUMNS = (t: string) =>
  `${t}.principal, ${ms(`${t}.created_at`)} AS created_at, ${ms(`${t}.last_accessed_at`)} AS last_accessed_at,
  ${t}.max_inactive_ms::float8 AS max_inactive_ms, ${ms(`${t}.absolute_expires_at`)} AS absolute_expires_at,
  ${ms(`${t}.expires_at`)} AS expires_at, ${t}.attributes::text AS attributes`;

export function sessionStatements(names: TableNames): SessionStatements {
  const t = names.sessions;
  const updates = new Map<string, string>();

  return {
    load: `SELECT s.id, ${RECORD_COLUMNS('s')} FROM ${t} s WHERE s.id = $1`,
    loadMany: `SELECT s.id, ${RECORD_COLUMNS('s')} FROM ${t} s WHERE s.id = ANY($1::text[])`,
    // Served by the partial principal index.
    findByPrincipal: `SELECT s.id, ${RECORD_COLUMNS('s')} FROM ${t} s WHERE s.principal = $1`,
    // Create-if-absent: a taken id inserts nothing (rowCount 0), never an error mid-transaction.
    create: `INSERT INTO ${t} (id, principal, created_at, last_accessed_at, max_inactive_ms, absolute_expires_at, expires_at, attributes)
VALUES ($1, $2, ${ts('$3')}, ${ts('$4')}, round($5::float8)::bigint, ${ts('$6')}, ${ts('$7')}, $8::jsonb)
ON CONFLICT (id) DO NOTHING`,
    update(principal, set, removed) {
      const key = `${principal}${set}${removed}`;
      let text = updates.get(key);
      if (text === undefined) {
        // $1 id, $2 now, $3 last access, $4 idle timeout, $5 expiry, then in this order and only when
        // present: principal, removed names, set document (see updateValues).
        let next = 6;
        const principalParam = principal ? `$${next++}` : '';
        const removedParam = removed ? `$${next++}` : '';
        const setParam = set ? `$${next++}` : '';
        let attributes = 'attributes';
        if (removed) attributes = `(${attributes} - ${removedParam}::text[])`;
        if (set) attributes = `(${attributes} || ${setParam}::jsonb)`;
        text = `UPDATE ${t} SET last_accessed_at = ${ts('$3')}, max_inactive_ms = round($4::float8)::bigint, expires_at = ${ts('$5')}${
          principal ? `, principal = ${principalParam}::text` : ''
        }${set || removed ? `, attributes = ${attributes}` : ''}
WHERE id = $1 AND expires_at > ${ts('$2')}`;
        updates.set(key, text);
      }
      return text;
    },
    // The rows are locked first, in id order, so two batches that share sessions lock them in the same
    // order and cannot deadlock (every other statement locks at most one row, or skips locked ones).
    // Then each row gets exactly the single-session update above, re-evaluated on its latest version.
    updateMany: `WITH d AS MATERIALIZED (
  SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::bool[], $7::text[], $8::jsonb[], $9::jsonb[])
    AS d(id, now, last_accessed_at, max_inactive_ms, expires_at, principal_changed, principal, removed, set)
), locked AS MATERIALIZED (
  SELECT s.id FROM ${t} s WHERE s.id IN (SELECT d.id FROM d) ORDER BY s.id FOR UPDATE
)
UPDATE ${t} s SET last_accessed_at = ${ts('d.last_accessed_at')}, max_inactive_ms = round(d.max_inactive_ms)::bigint,
  expires_at = ${ts('d.expires_at')},
  principal = CASE WHEN d.principal_changed THEN d.principal ELSE s.principal END,
  attributes = CASE WHEN d.removed IS NULL AND d.set IS NULL THEN s.attributes
    ELSE (s.attributes - coalesce(ARRAY(SELECT jsonb_array_elements_text(d.removed)), '{}'::text[])) || coalesce(d.set, '{}'::jsonb) END
FROM d JOIN locked ON locked.id = d.id
WHERE s.id = d.id AND s.expires_at > ${ts('d.now')}
RETURNING s.id`,
    // Only last access and expiry move; the attributes document is not rewritten.
    touch: `UPDATE ${t} SET last_accessed_at = ${ts('$3')}, expires_at = ${ts('$4')} WHERE id = $1 AND expires_at > ${ts('$2')}`,
    // Principals come back for the events.
    delete: `DELETE FROM ${t} WHERE id = $1 RETURNING principal`,
    // A rename is one UPDATE of the primary key: atomic, and a taken new id is a unique violation.
    changeId: `UPDATE ${t} SET id = $2 WHERE id = $1 AND expires_at > ${ts('$3')} RETURNING principal`,
    // One bounded batch. SKIP LOCKED: instances sweeping at once take disjoint rows and never wait on
    // each other or on a request holding a row, so cleanup cannot deadlock or stall traffic. The
    // expiry is checked again on the locked row, so a session touched meanwhile is kept.
    cleanup: `DELETE FROM ${t} s USING (
  SELECT id FROM ${t} WHERE expires_at <= ${ts('$1')} ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
) batch
WHERE s.id = batch.id AND s.expires_at <= ${ts('$1')}
RETURNING s.id, s.principal`,
  };
}
