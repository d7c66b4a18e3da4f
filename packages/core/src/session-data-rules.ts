import { SessionConfigError, SessionDataError } from './errors.js';

/**
 * What a principal name and an attribute name may be, on every store: a non-empty string of at most
 * MAX_NAME_LENGTH UTF-16 code units, well-formed Unicode (no lone surrogates), without U+0000. Every
 * backend can store and index such a string exactly (PostgreSQL text and btree, jsonb keys, Redis,
 * Hazelcast), so a store may rely on it. Distinct strings stay distinct: nothing is trimmed, folded or
 * normalised.
 */
export const MAX_NAME_LENGTH = 512;

/** Longest idle timeout a session may have (and a stored record may carry). */
export const MAX_STORED_IDLE_MS = 10 * 365 * 24 * 60 * 60_000;

// Written as escapes on purpose: these are the code units being looked for.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what is being detected.
const NOT_STORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` is not a storable name, or undefined when it is. */
function nameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${value === null ? 'null' : typeof value}`;
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_NAME_LENGTH)
    return `must be at most ${MAX_NAME_LENGTH} characters (got ${value.length})`;
  if (NOT_STORABLE.test(value)) return 'must not contain U+0000 or unpaired surrogates';
  return undefined;
}

/** Throws SessionDataError unless `value` is a storable principal name (null clears the principal). */
export function checkPrincipal(value: unknown): void {
  if (value === null) return;
  const problem = nameProblem(value);
  if (problem !== undefined) throw new SessionDataError(`A session principal ${problem}`);
}

/** Throws SessionDataError unless `name` is a storable attribute name. */
export function checkAttributeName(name: unknown): void {
  const problem = nameProblem(name);
  if (problem !== undefined) throw new SessionDataError(`A session attribute name ${problem}`);
}

/** How large one session may grow. Checked when a save would add or change attributes. */
export interface SessionLimits {
  /** Most attributes in one session. Default 1000; Infinity turns the check off. */
  readonly maxAttributes?: number;
  /**
   * Most characters (JavaScript string length, UTF-16 code units) of all attribute names plus their
   * encoded values in one session. Default 4 194 304 (4 Mi); Infinity turns the check off.
   */
  readonly maxEncodedLength?: number;
}

export const DEFAULT_MAX_ATTRIBUTES = 1000;
export const DEFAULT_MAX_ENCODED_LENGTH = 4_194_304;

export interface ResolvedSessionLimits {
  readonly maxAttributes: number;
  readonly maxEncodedLength: number;
}

export function resolveSessionLimits(limits: SessionLimits | undefined): ResolvedSessionLimits {
  return {
    maxAttributes: limit('maxAttributes', limits?.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES),
    maxEncodedLength: limit('maxEncodedLength', limits?.maxEncodedLength ?? DEFAULT_MAX_ENCODED_LENGTH),
  };
}

function limit(name: string, value: number): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value >= 1)) return value;
  throw new SessionConfigError(`limits.${name} must be a whole number of at least 1, or Infinity`);
}

/**
 * Throws SessionDataError when a session would exceed `limits`. `encodedOf` gives each attribute's
 * encoded value (the new one for attributes being written, the stored one otherwise).
 */
export function checkSessionSize(
  names: Iterable<string>,
  count: number,
  encodedOf: (name: string) => string | undefined,
  limits: ResolvedSessionLimits,
): void {
  if (count > limits.maxAttributes) {
    throw new SessionDataError(
      `The session has ${count} attributes; at most ${limits.maxAttributes} are allowed (limits.maxAttributes)`,
    );
  }
  if (limits.maxEncodedLength === Number.POSITIVE_INFINITY) return;
  let length = 0;
  for (const name of names) length += name.length + (encodedOf(name)?.length ?? 0);
  if (length > limits.maxEncodedLength) {
    throw new SessionDataError(
      `The session's encoded attributes take ${length} characters; at most ${limits.maxEncodedLength} are allowed (limits.maxEncodedLength)`,
    );
  }
}
