import { SessionDecodeError } from './errors.js';
import { expiryOf } from './session.js';
import { MAX_STORED_IDLE_MS } from './session-data-rules.js';
import type { SessionRecord } from './session-store.js';

/** The largest epoch ms a JavaScript Date can hold. */
const MAX_EPOCH_MS = 8.64e15;
/** Slack for stores that keep the expiry at a coarser precision than the other timestamps. */
const EXPIRY_SLACK_MS = 1000;

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_EPOCH_MS;
}

/**
 * Core checks every record a store returns before using it: timestamps finite and in a Date's range,
 * createdAt <= lastAccessedAt, 0 < maxInactiveMs <= 10 years, expiresAt consistent with the others
 * (within a second), principal a string or null, attributes a Map. Anything else (a hand-edited row,
 * `max_inactive_ms = 9223372036854775807`, `expires_at = 'infinity'`) throws SessionDecodeError, so
 * it is handled exactly like undecodable data: reported, treated as missing, removed.
 */
export function checkRecord(record: SessionRecord): SessionRecord {
  const problem = recordProblem(record);
  if (problem !== undefined) {
    throw new SessionDecodeError(`A stored session record is unusable: ${problem}`);
  }
  return record;
}

function recordProblem(record: SessionRecord): string | undefined {
  if (record === null || typeof record !== 'object') return 'not an object';
  const { createdAt, lastAccessedAt, maxInactiveMs, absoluteExpiresAt, expiresAt } = record;
  if (!isTime(createdAt)) return `createdAt ${String(createdAt)} is out of range`;
  if (!isTime(lastAccessedAt)) return `lastAccessedAt ${String(lastAccessedAt)} is out of range`;
  if (lastAccessedAt < createdAt) return 'lastAccessedAt is before createdAt';
  if (
    typeof maxInactiveMs !== 'number' ||
    !Number.isFinite(maxInactiveMs) ||
    maxInactiveMs <= 0 ||
    maxInactiveMs > MAX_STORED_IDLE_MS
  ) {
    return `maxInactiveMs ${String(maxInactiveMs)} is out of range (0, 10 years]`;
  }
  if (absoluteExpiresAt !== null && !isTime(absoluteExpiresAt))
    return `absoluteExpiresAt ${String(absoluteExpiresAt)} is out of range`;
  if (!isTime(expiresAt)) return `expiresAt ${String(expiresAt)} is out of range`;
  if (Math.abs(expiresAt - expiryOf(lastAccessedAt, maxInactiveMs, absoluteExpiresAt)) > EXPIRY_SLACK_MS)
    return 'expiresAt does not match the last access, idle timeout and absolute expiry';
  if (record.principal !== null && typeof record.principal !== 'string') return 'principal is not a string';
  if (!(record.attributes instanceof Map)) return 'attributes are not a Map';
  return undefined;
}
