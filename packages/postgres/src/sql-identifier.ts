import { SessionConfigError } from '@sess/core';

/**
 * Names a user may configure (schema, table, channel) end up inside SQL text, so they are checked
 * against a conservative shape and then double-quoted. Anything else is refused at construction time
 * instead of being escaped: an identifier with quotes or dots in it is almost always a mistake.
 */
const SHAPE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes, silently; refuse them instead. */
export const MAX_IDENTIFIER_LENGTH = 63;

export function checkIdentifier(option: string, value: unknown, maxLength = MAX_IDENTIFIER_LENGTH): string {
  if (typeof value !== 'string' || !SHAPE.test(value) || value.length > maxLength) {
    throw new SessionConfigError(
      `@sess/postgres: ${option} must be 1-${maxLength} characters of letters, digits and underscores, ` +
        `not starting with a digit (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** Double-quotes an identifier that already passed checkIdentifier (quoting keeps its case). */
export function quoteIdentifier(checked: string): string {
  return `"${checked}"`;
}
