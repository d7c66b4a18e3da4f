import { maskSessionId, SessionDecodeError, type SessionRecord } from '@sess/core';
import { HazelcastJsonValue } from 'hazelcast-client';

/** Marks a value as a session written by this store, and its layout version. */
const FORMAT = 1;
const MOVED = 'moved';

/**
 * One session as a JSON document in the IMap. Top-level `principal` is what the predicate and the
 * index query. `ver` grows by one on every write, so compare-and-set never mistakes a value that was
 * changed and changed back for an untouched one.
 */
export interface StoredSession {
  readonly $sess: typeof FORMAT;
  readonly ver: number;
  readonly createdAt: number;
  readonly lastAccessedAt: number;
  readonly maxInactiveMs: number;
  readonly absoluteExpiresAt: number | null;
  readonly expiresAt: number;
  readonly principal: string | null;
  /** Attribute name -> encoded value. Always built with Object.fromEntries, so "__proto__" is data. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Set only by a rename, so the 'added' entry event can be reported as 'id-changed'. */
  readonly renamedFrom?: string;
}

/**
 * What a renamed session's old id holds between "new id written" and "old id removed": invisible to
 * reads, and its removal is not a 'deleted' event. `to` makes each tombstone unique, so the
 * conditional remove that follows can never remove anything else.
 */
export interface StoredTombstone {
  readonly $sess: typeof MOVED;
  readonly to: string;
}

/** A value read from the map together with its exact JSON text, which compare-and-set sends back. */
export type StoredValue =
  | { readonly kind: 'session'; readonly text: string; readonly data: StoredSession }
  | { readonly kind: 'moved'; readonly text: string; readonly data: StoredTombstone };

export function toJson(text: string): HazelcastJsonValue {
  return new HazelcastJsonValue(text);
}

export function tombstoneText(to: string): string {
  const tombstone: StoredTombstone = { $sess: MOVED, to };
  return JSON.stringify(tombstone);
}

export function sessionText(data: StoredSession): string {
  return JSON.stringify(data);
}

/**
 * Reads what `IMap.get` (or an entry event) returned. The client hands back a HazelcastJsonValue when
 * configured with `jsonStringDeserializationPolicy: 'NO_DESERIALIZATION'` and the parsed object under
 * the default 'EAGER' policy; both are accepted. Our own writes are JSON.stringify output, which
 * re-stringifies to the same text, so the text rebuilt from an eagerly parsed object still matches the
 * stored bytes for replaceIfSame. Throws SessionDecodeError for anything that is not ours.
 */
export function readStored(id: string, value: unknown): StoredValue {
  let text: string;
  let parsed: unknown;
  if (isJsonValue(value)) {
    text = value.toString();
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SessionDecodeError(`Hazelcast entry for session ${mask(id)} is not valid JSON`, {
        cause: error,
      });
    }
  } else if (typeof value === 'object' && value !== null) {
    parsed = value;
    text = JSON.stringify(value);
  } else {
    throw new SessionDecodeError(
      `Hazelcast entry for session ${mask(id)} is a ${typeof value}, not a JSON document written by @sess/hazelcast`,
    );
  }
  if (isTombstone(parsed)) return { kind: 'moved', text, data: parsed };
  return { kind: 'session', text, data: validate(id, parsed) };
}

export function toRecord(id: string, data: StoredSession): SessionRecord {
  return {
    id,
    createdAt: data.createdAt,
    lastAccessedAt: data.lastAccessedAt,
    maxInactiveMs: data.maxInactiveMs,
    absoluteExpiresAt: data.absoluteExpiresAt,
    expiresAt: data.expiresAt,
    principal: data.principal,
    attributes: new Map(Object.entries(data.attributes)),
  };
}

/** Builds the attributes object from a Map, so hostile names stay own data properties. */
export function attributesObject(attributes: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(attributes);
}

function isJsonValue(value: unknown): value is HazelcastJsonValue {
  // instanceof fails when the application and this package resolve different copies of the client.
  return (
    value instanceof HazelcastJsonValue ||
    (typeof value === 'object' && value !== null && value.constructor?.name === 'HazelcastJsonValue')
  );
}

function isTombstone(value: unknown): value is StoredTombstone {
  const v = value as Partial<StoredTombstone> | null;
  return typeof v === 'object' && v !== null && v.$sess === MOVED && typeof v.to === 'string';
}

function validate(id: string, value: unknown): StoredSession {
  const problem = shapeProblem(value);
  if (problem !== null) {
    throw new SessionDecodeError(
      `Hazelcast entry for session ${mask(id)} is not a session written by @sess/hazelcast (${problem})`,
    );
  }
  return value as StoredSession;
}

/** What is wrong with a value that should be a StoredSession, or null when nothing is. */
function shapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const v = value as Record<string, unknown>;
  if (v.$sess !== FORMAT) return `unknown format ${JSON.stringify(v.$sess)}`;
  if (!Number.isSafeInteger(v.ver)) return 'bad version';
  if (!isTime(v.createdAt) || !isTime(v.lastAccessedAt) || !isTime(v.expiresAt)) return 'bad timestamps';
  if (!isTime(v.maxInactiveMs) || (v.maxInactiveMs as number) <= 0) return 'bad maxInactiveMs';
  if (v.absoluteExpiresAt !== null && !isTime(v.absoluteExpiresAt)) return 'bad absoluteExpiresAt';
  if (v.principal !== null && typeof v.principal !== 'string') return 'bad principal';
  if (v.renamedFrom !== undefined && typeof v.renamedFrom !== 'string') return 'bad renamedFrom';
  if (!isStringRecord(v.attributes)) return 'bad attributes';
  return null;
}

function isTime(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function isStringRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const entry of Object.values(value)) if (typeof entry !== 'string') return false;
  return true;
}

/** Session ids are secrets: messages carry only a masked form. */
const mask = maskSessionId;
