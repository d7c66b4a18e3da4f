import { checkIdentifier, MAX_IDENTIFIER_LENGTH, quoteIdentifier } from './sql-identifier.js';

export const DEFAULT_SCHEMA = 'public';
export const DEFAULT_TABLE = 'sess_sessions';

/** Leaves room for the longest derived name ("<table>_principal_idx", "<table>_migrations"). */
const MAX_TABLE_LENGTH = MAX_IDENTIFIER_LENGTH - '_principal_idx'.length;

/** Where one store keeps its sessions, and every quoted name derived from that. */
export interface TableNames {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`, ready for SQL text. */
  readonly sessions: string;
  readonly migrations: string;
  readonly expiresIndex: string;
  readonly principalIndex: string;
  readonly quotedSchema: string;
}

export function tableNames(
  options: { schema?: string | undefined; table?: string | undefined } = {},
): TableNames {
  const schema = checkIdentifier('schema', options.schema ?? DEFAULT_SCHEMA);
  const table = checkIdentifier('table', options.table ?? DEFAULT_TABLE, MAX_TABLE_LENGTH);
  const quotedSchema = quoteIdentifier(schema);
  return {
    schema,
    table,
    quotedSchema,
    sessions: `${quotedSchema}.${quoteIdentifier(table)}`,
    migrations: `${quotedSchema}.${quoteIdentifier(`${table}_migrations`)}`,
    // Index names live in the table's schema; CREATE INDEX takes them unqualified.
    expiresIndex: quoteIdentifier(`${table}_expires_at_idx`),
    principalIndex: quoteIdentifier(`${table}_principal_idx`),
  };
}
