import type { SessionRecord, SessionStore } from '@sess/core';
import * as core from '@sess/core';

/**
 * Some checks hold stores to contract rules that core defines in a newer @sess/core than the one
 * installed may be (#14: data rules, record validation, unreadable entries in listings). They skip,
 * with the reason, when the installed core does not have the rule yet, rather than fail a store for
 * what core does not offer. Each probe asks core itself, through a store that does no I/O.
 */

const VALID_ID = 'a'.repeat(43);

/** A store with no backend, returning what the probe hands it. */
function probeStore(found: { load?: SessionRecord; list?: unknown[] }): SessionStore {
  return {
    name: 'kit-probe',
    load: async () => found.load ?? null,
    save: async () => true,
    delete: async () => true,
    findByPrincipal: async () => (found.list ?? []) as SessionRecord[],
  };
}

/** Core rejects invalid principals and attribute names with SessionDataError (code INVALID_DATA). */
export function coreHasDataRules(): boolean {
  if (typeof (core as Record<string, unknown>).SessionDataError !== 'function') return false;
  const session = core.createSessionRepository({ store: probeStore({}) }).createSession();
  try {
    session.principal = 'lone \uD800 surrogate';
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'INVALID_DATA';
  }
}

export const DATA_RULES_MISSING =
  'the installed @sess/core does not define SessionDataError yet (#14 item 1: core rejects invalid principals and attribute names)';

let recordValidation: Promise<boolean> | undefined;

/** Core treats a record with out-of-range numbers as unreadable (reported, missing, removed). */
export function coreValidatesRecords(): Promise<boolean> {
  recordValidation ??= (async () => {
    const now = Date.now();
    const reports: unknown[] = [];
    const repository = core.createSessionRepository({
      store: probeStore({
        load: {
          id: VALID_ID,
          createdAt: now,
          lastAccessedAt: now,
          maxInactiveMs: 2 ** 63, // what a bigint column holding 9223372036854775807 reads as
          absoluteExpiresAt: null,
          expiresAt: Number.MAX_VALUE,
          principal: null,
          attributes: new Map(),
        },
      }),
      onDecodeError: (report) => reports.push(report),
    });
    const found = await repository.findById(VALID_ID).catch(() => undefined);
    return found === null && reports.length === 1;
  })();
  return recordValidation;
}

export const RECORD_VALIDATION_MISSING =
  'the installed @sess/core does not validate stored numbers yet (#14 item 5: out-of-range records are treated as corrupt)';

let unreadableEntries: Promise<boolean> | undefined;

/** Core accepts `{ id, unreadable }` entries from findByPrincipal: reports and removes them. */
export function coreAcceptsUnreadableEntries(): Promise<boolean> {
  unreadableEntries ??= (async () => {
    const reports: unknown[] = [];
    const repository = core.createSessionRepository({
      store: probeStore({ list: [{ id: VALID_ID, unreadable: new core.SessionDecodeError('kit probe') }] }),
      onDecodeError: (report) => reports.push(report),
    });
    const found = await repository.findByPrincipal('probe').catch(() => undefined);
    return found?.size === 0 && reports.length === 1;
  })();
  return unreadableEntries;
}

export const UNREADABLE_ENTRIES_MISSING =
  'the installed @sess/core does not accept { id, unreadable } entries from findByPrincipal yet (#14 item 4)';
