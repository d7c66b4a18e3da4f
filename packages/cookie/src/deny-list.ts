import { type Clock, SessionConflictError, type SessionStore } from '@sess/core';
import { toBase64url } from '@sess/core/store';
import type { SealedSession } from './sealed-session.js';

/**
 * The server-side half that makes logout real: a set of refused session ids (and per-principal
 * "refuse what was issued before" times) kept in any @sess store. Entries are keyed by a SHA-256
 * of the id, shaped like a session id so every store accepts them, and expire by themselves when no
 * cookie they refuse can still be alive.
 */
export class DenyList {
  readonly #store: SessionStore;
  readonly #clock: Clock;
  readonly #revocationTtlMs: number;

  constructor(store: SessionStore, clock: Clock, revocationTtlMs: number) {
    this.#store = store;
    this.#clock = clock;
    this.#revocationTtlMs = revocationTtlMs;
  }

  /** True when the session's id was denied, or its principal revoked after the id was issued. */
  async refuses(session: SealedSession): Promise<boolean> {
    const now = this.#clock.now();
    const [idKey, principalKey] = await Promise.all([
      keyOf('sid', session.sid),
      session.principal === null ? null : keyOf('principal', session.principal),
    ]);
    const [byId, byPrincipal] = await Promise.all([
      this.#store.load(idKey),
      principalKey === null ? null : this.#store.load(principalKey),
    ]);
    if (byId !== null && byId.expiresAt > now) return true;
    if (byPrincipal === null || byPrincipal.expiresAt <= now) return false;
    const notBefore = Number(byPrincipal.attributes.get('notBefore'));
    return !Number.isFinite(notBefore) || session.issuedAt < notBefore;
  }

  /** Refuses `sid` until `until` (epoch ms): after that no cookie carrying it can be alive anyway. */
  async deny(sid: string, until: number): Promise<void> {
    const now = this.#clock.now();
    if (until <= now) return;
    await this.#put(await keyOf('sid', sid), now, until, new Map());
  }

  /** Refuses every session of `principal` whose id was issued before now (a later login works). */
  async revokePrincipal(principal: string): Promise<void> {
    const now = this.#clock.now();
    await this.#put(
      await keyOf('principal', principal),
      now,
      now + this.#revocationTtlMs,
      new Map([['notBefore', String(now + 1)]]),
    );
  }

  async #put(id: string, now: number, until: number, set: ReadonlyMap<string, string>): Promise<void> {
    const entry = {
      id,
      now,
      createdAt: now,
      lastAccessedAt: now,
      maxInactiveMs: until - now,
      absoluteExpiresAt: until,
      expiresAt: until,
      set,
    };
    // Refresh an existing entry first (a second revoke moves its time); create it when absent.
    if (await this.#store.save({ ...entry, kind: 'update', removed: [] })) return;
    try {
      await this.#store.save({ ...entry, kind: 'create', principal: null, removed: [] });
    } catch (error) {
      if (!(error instanceof SessionConflictError)) throw error;
      await this.#store.save({ ...entry, kind: 'update', removed: [] }); // created meanwhile: refresh it
    }
  }
}

const encoder = new TextEncoder();

async function keyOf(kind: 'sid' | 'principal', value: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`@sess/cookie ${kind}\u0000${value}`),
  );
  return toBase64url(new Uint8Array(digest));
}
