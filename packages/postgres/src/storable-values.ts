import { MAX_NAME_LENGTH, SessionDataError } from '@sess/core';

/**
 * What PostgreSQL cannot hold, checked before a value reaches a statement that other sessions share
 * (a coalesced update), so one session's bad data fails only its own request. Core already refuses
 * such principals where they are set; this guards callers that reach the store directly.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what is being detected.
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** timestamptz holds far more, but a JavaScript Date no more than this. */
const MAX_EPOCH_MS = 8.64e15;
/** The idle timeout is a bigint column. */
const MAX_IDLE_MS = 2 ** 63 - 1024;

/** True when `principal` can be stored in the text column and its btree index, exactly. */
export function isStorablePrincipal(principal: string): boolean {
  return principal.length > 0 && principal.length <= MAX_NAME_LENGTH && !NOT_TEXT.test(principal);
}

export function checkPrincipal(principal: string | null | undefined): void {
  if (principal === null || principal === undefined || isStorablePrincipal(principal)) return;
  throw new SessionDataError(
    `@sess/postgres: a principal must be 1 to ${MAX_NAME_LENGTH} characters of well-formed text without U+0000`,
  );
}

export function checkTime(name: string, value: number | null): void {
  if (value === null || (Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS)) return;
  throw new SessionDataError(`@sess/postgres: ${name} ${value} is not a storable time`);
}

export function checkIdleTimeout(value: number): void {
  // round() in the statement: below 1 would store 0, which the table's CHECK refuses.
  if (Number.isFinite(value) && value >= 1 && value <= MAX_IDLE_MS) return;
  throw new SessionDataError(`@sess/postgres: maxInactiveMs ${value} is not a storable idle timeout`);
}
