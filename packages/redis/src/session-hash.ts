import { SessionDecodeError, type SessionRecord, type SessionWrite } from '@sess/core';

/**
 * Field names of the session hash. Metadata fields start with "m:" and attribute fields with "a:", so
 * no attribute name (including "", "__proto__" or "m:x") can ever collide with metadata or with another
 * attribute: the mapping name -> "a:" + name is injective.
 */
export const FIELD = {
  createdAt: 'm:created',
  lastAccessedAt: 'm:accessed',
  maxInactiveMs: 'm:idle',
  absoluteExpiresAt: 'm:absolute',
  expiresAt: 'm:expires',
  principal: 'm:principal',
  /** Set while the session is being renamed: the new id. Such a session is gone for readers and writers. */
  moving: 'm:moving',
  /** Redis time (ms) until which the principal index is known to outlive this session. */
  indexedUntil: 'm:ixuntil',
} as const;

const ATTRIBUTE = 'a:';
const META = 'm:';

export function attributeField(name: string): string {
  return ATTRIBUTE + name;
}

/**
 * The field/value pairs a save writes. A create writes everything; an update writes the timestamps,
 * expiry and idle timeout (which may have changed) plus only the attributes that changed. The principal
 * is handled by the script, which also needs its previous value.
 */
export function writeFields(write: SessionWrite): string[] {
  const fields: string[] = [
    FIELD.lastAccessedAt,
    String(write.lastAccessedAt),
    FIELD.expiresAt,
    String(write.expiresAt),
    FIELD.maxInactiveMs,
    String(write.maxInactiveMs),
  ];
  if (write.kind === 'create') {
    fields.push(FIELD.createdAt, String(write.createdAt));
    fields.push(
      FIELD.absoluteExpiresAt,
      write.absoluteExpiresAt === null ? '' : String(write.absoluteExpiresAt),
    );
  }
  for (const [name, value] of write.set) fields.push(attributeField(name), value);
  return fields;
}

/** Turns HGETALL output into a record. Null when the hash is absent or being renamed. */
export function readRecord(id: string, hash: Record<string, string>): SessionRecord | null {
  const names = Object.keys(hash);
  if (names.length === 0) return null;
  if (Object.hasOwn(hash, FIELD.moving)) return null;
  const attributes = new Map<string, string>();
  for (const field of names) {
    const value = hash[field]!;
    if (field.startsWith(ATTRIBUTE)) attributes.set(field.slice(ATTRIBUTE.length), value);
    // Unknown "m:" fields are tolerated so that a newer version can add metadata; anything else is not ours.
    else if (!field.startsWith(META))
      throw decodeError(`unexpected field ${JSON.stringify(field.slice(0, 40))}`);
  }
  const absolute = field(hash, FIELD.absoluteExpiresAt);
  const maxInactiveMs = epochField(hash, FIELD.maxInactiveMs);
  if (maxInactiveMs <= 0) throw decodeError(`${FIELD.maxInactiveMs} must be positive`);
  return {
    id,
    createdAt: epochField(hash, FIELD.createdAt),
    lastAccessedAt: epochField(hash, FIELD.lastAccessedAt),
    maxInactiveMs,
    absoluteExpiresAt: absolute === '' ? null : toNumber(FIELD.absoluteExpiresAt, absolute),
    expiresAt: epochField(hash, FIELD.expiresAt),
    principal: Object.hasOwn(hash, FIELD.principal) ? hash[FIELD.principal]! : null,
    attributes,
  };
}

/** Turns the flat [field, value, ...] list a script returns into the object form readRecord takes. */
export function pairsToHash(pairs: readonly string[]): Record<string, string> {
  // A null-prototype object: field names come from Redis and must not reach Object.prototype.
  const hash: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < pairs.length; i += 2) hash[pairs[i]!] = pairs[i + 1]!;
  return hash;
}

function field(hash: Record<string, string>, name: string): string {
  if (!Object.hasOwn(hash, name)) throw decodeError(`field ${name} is missing`);
  return hash[name]!;
}

function epochField(hash: Record<string, string>, name: string): number {
  return toNumber(name, field(hash, name));
}

function toNumber(name: string, text: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw decodeError(`field ${name} is not a number`);
  return value;
}

function decodeError(detail: string): SessionDecodeError {
  return new SessionDecodeError(`The Redis hash of a session is unreadable: ${detail}`);
}
