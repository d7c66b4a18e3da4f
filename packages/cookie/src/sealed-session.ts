/**
 * What travels inside the sealed cookie: the session's record without its per-request id, plus the
 * stable id (`sid`) the deny-list is keyed by and when that id was issued (for revoking a principal's
 * older sessions). Decoding validates every field, so a token that opens but holds nonsense is refused.
 */
export interface SealedSession {
  /** Stable id of this session, minted at creation and at every id change (login). */
  readonly sid: string;
  /** When `sid` was minted (epoch ms). */
  readonly issuedAt: number;
  readonly createdAt: number;
  readonly lastAccessedAt: number;
  readonly maxInactiveMs: number;
  readonly absoluteExpiresAt: number | null;
  readonly principal: string | null;
  /** Attribute name -> value encoded by core's codec. */
  readonly attributes: ReadonlyMap<string, string>;
}

const FORMAT = 1;
const MAX_TIMEOUT_MS = 10 * 365 * 24 * 3600 * 1000;

export function encodeSealedSession(session: SealedSession): string {
  return JSON.stringify([
    FORMAT,
    session.sid,
    session.issuedAt,
    session.createdAt,
    session.lastAccessedAt,
    session.maxInactiveMs,
    session.absoluteExpiresAt,
    session.principal,
    // Pairs, not an object: attribute names such as "__proto__" stay plain data.
    [...session.attributes].flat(),
  ]);
}

/** The session, or undefined when the text is not exactly what `encodeSealedSession` makes. */
export function decodeSealedSession(text: string): SealedSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 9 || parsed[0] !== FORMAT) return undefined;
  const [, sid, issuedAt, createdAt, lastAccessedAt, maxInactiveMs, absoluteExpiresAt, principal, flat] =
    parsed as unknown[];
  if (typeof sid !== 'string' || sid.length === 0) return undefined;
  if (!isTime(issuedAt) || !isTime(createdAt) || !isTime(lastAccessedAt)) return undefined;
  if (createdAt > lastAccessedAt || issuedAt < createdAt) return undefined;
  if (!isTime(maxInactiveMs) || maxInactiveMs === 0 || maxInactiveMs > MAX_TIMEOUT_MS) return undefined;
  if (absoluteExpiresAt !== null && (!isTime(absoluteExpiresAt) || absoluteExpiresAt < createdAt))
    return undefined;
  if (principal !== null && typeof principal !== 'string') return undefined;
  if (!Array.isArray(flat) || flat.length % 2 !== 0) return undefined;
  const attributes = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) {
    const name: unknown = flat[i];
    const value: unknown = flat[i + 1];
    if (typeof name !== 'string' || typeof value !== 'string' || attributes.has(name)) return undefined;
    attributes.set(name, value);
  }
  return {
    sid,
    issuedAt,
    createdAt,
    lastAccessedAt,
    maxInactiveMs,
    absoluteExpiresAt: absoluteExpiresAt as number | null,
    principal,
    attributes,
  };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** When a sealed session expires: its idle deadline, or its absolute end of life if that comes first. */
export function expiresAtOf(
  session: Pick<SealedSession, 'lastAccessedAt' | 'maxInactiveMs' | 'absoluteExpiresAt'>,
): number {
  const idle = session.lastAccessedAt + session.maxInactiveMs;
  return session.absoluteExpiresAt === null ? idle : Math.min(idle, session.absoluteExpiresAt);
}
