import type { SessionRepository, SessionWrite } from '@sess/core';
import { expect } from 'vitest';

/**
 * The store contract's rules, worded as failure messages: a failing check names the rule the store
 * broke (see SessionStore in @sess/core and docs/writing-a-store.md).
 */
export const RULE = {
  createConflict:
    "save({ kind: 'create' }) for an id that exists must reject with SessionConflictError (create-if-absent)",
  updateApplies:
    "save({ kind: 'update' }) of a session that exists and is live at write.now must apply the delta and resolve true",
  updateMissing:
    "save({ kind: 'update' }) of a session that does not exist must write nothing and resolve false",
  updateExpired:
    "save({ kind: 'update' }) of a session expired at write.now (stored expiresAt <= now) must write nothing and resolve false, even while the backend still holds it",
  touchMissing: 'touch() of a session that does not exist must write nothing and resolve false',
  touchExpired:
    'touch() of a session expired at touch.now must write nothing and resolve false, even while the backend still holds it',
  deleteRemoved: 'delete() must resolve true when it removed a stored session',
  deleteAbsent: 'delete() must resolve false when nothing was stored for the id',
  changeIdApplies: 'changeId(oldId, newId, now) of a live session must move it and resolve true',
  changeIdMissing: 'changeId() of a session that does not exist must create nothing and resolve false',
  changeIdExpired:
    'changeId() of a session expired at `now` must create nothing and resolve false, even while the backend still holds it',
  changeIdConflict:
    'changeId() into an id that exists must reject with SessionConflictError and leave both sessions as they were',
  oldIdAfterChange:
    'after changeId() resolved, a write to the old id must write nothing and resolve false (the session lives under the new id)',
  acknowledgedWriteKept:
    'a write that resolved true must never be lost: one acknowledged before changeId() is found under the new id',
  repositorySave:
    'repository.save() of a live session must resolve true (the store reported the write as not applied)',
  principalExact:
    'principals are exact strings: no trimming, case folding or Unicode normalisation, so distinct principals stay distinct',
  cleanupRemoves:
    'cleanupExpired(now) must remove from the backend every session expired at `now` (expiresAt <= now), read or not',
  cleanupKeeps: 'cleanupExpired(now) must keep every session still live at `now` (expiresAt > now)',
  unavailable:
    'a backend that cannot be reached must surface as StoreUnavailableError (code STORE_UNAVAILABLE) with the driver error as cause, never a raw driver error',
} as const;

/** Saves through the repository and fails, naming the rule, unless the store applied the write. */
export async function expectSaved(
  repository: SessionRepository,
  session: Parameters<SessionRepository['save']>[0],
) {
  expect(await repository.save(session), RULE.repositorySave).toBe(true);
}

/** A complete write for `id`, with its timestamps derived from `now` and `idleMs`. */
export function writeFor(
  id: string,
  kind: SessionWrite['kind'],
  now: number,
  changes: Partial<Pick<SessionWrite, 'set' | 'removed' | 'principal' | 'lastAccessedAt'>> = {},
  idleMs = 60_000,
): SessionWrite {
  const lastAccessedAt = changes.lastAccessedAt ?? now;
  return {
    id,
    kind,
    now,
    createdAt: lastAccessedAt,
    lastAccessedAt,
    maxInactiveMs: idleMs,
    absoluteExpiresAt: null,
    expiresAt: lastAccessedAt + idleMs,
    ...(kind === 'create' ? { principal: null } : {}),
    ...(changes.principal === undefined ? {} : { principal: changes.principal }),
    set: changes.set ?? new Map(),
    removed: changes.removed ?? [],
  };
}

/** The code of a rejection, or 'resolved' when `operation` did not reject. */
export async function rejectionOf(operation: Promise<unknown>): Promise<{ code: unknown; error: unknown }> {
  return operation.then(
    () => ({ code: 'resolved', error: undefined }),
    (error: unknown) => ({ code: (error as { code?: unknown } | null)?.code, error }),
  );
}
