import { describe, expect, type TestContext } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { itWithHook, requireCapability } from './applicability.js';
import { expectSaved } from './contract-rules.js';
import {
  coreAcceptsUnreadableEntries,
  coreHasDataRules,
  coreValidatesRecords,
  DATA_RULES_MISSING,
  RECORD_VALIDATION_MISSING,
  UNREADABLE_ENTRIES_MISSING,
} from './core-features.js';
import type { Harness } from './harness.js';
import { useManualHarness } from './harness.js';
import type { CorruptionKind, ResolvedStoreConformance } from './options.js';

const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'id',
  'save',
  'touch',
  'cookie',
  'then',
  ' ',
  'a:b',
  '{tag}',
  'sessionAttr:x',
  'ünïcødé 名前 🍪',
  'line\nbreak',
  'valid \uD83C\uDF6A pair',
  '\u20ac'.repeat(512),
  '$sess',
  '"quoted"',
  "it's",
  '%',
  '*',
];

export function dataSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('stored data', () => {
    const h = useManualHarness(kit);

    it('round-trips hostile and unicode attribute names as plain data', async () => {
      const repo = h.repository();
      const session = repo.createSession();
      for (const [i, name] of HOSTILE_NAMES.entries()) session.set(name, { i, name });
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      expect(new Set(loaded.names())).toEqual(new Set(HOSTILE_NAMES));
      for (const [i, name] of HOSTILE_NAMES.entries()) expect(loaded.get(name)).toEqual({ i, name });
      expect(({} as Record<string, unknown>).i).toBeUndefined(); // nothing leaked into Object.prototype
      loaded.remove('__proto__').remove('then');
      await expectSaved(repo, loaded);
      const again = (await repo.findById(session.id))!;
      expect(again.has('__proto__')).toBe(false);
      expect(again.has('constructor')).toBe(true);
    });

    it('round-trips unicode values and the codec types (Date, Map, Set, BigInt, nested)', async () => {
      const repo = h.repository();
      const value = {
        text: 'héllo 世界 🍪 \u2028 "q" \\',
        date: new Date('2024-02-29T12:34:56.789Z'),
        map: new Map<unknown, unknown>([
          ['k', 1],
          [2, new Set(['x'])],
        ]),
        big: 12345678901234567890n,
        nested: [{ deep: [null, true, -0.5] }],
        own$sess: { $sess: 'user data that looks like a tag' },
      };
      const session = repo.createSession().set('v', value);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.get('v')).toEqual(value);
    });

    it('stores and loads a 1 MB value', async () => {
      const repo = h.repository();
      const big = 'x'.repeat(1024 * 1024);
      const session = repo.createSession().set('big', big).set('small', 1);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      expect((loaded.get('big') as string).length).toBe(big.length);
      loaded.set('small', 2);
      await expectSaved(repo, loaded);
      expect((await repo.findById(session.id))!.get('small')).toBe(2);
    });

    it('an attribute the codec cannot decode makes the session missing, reported and removed', async () => {
      const reports: unknown[] = [];
      const repo = h.repository({ onDecodeError: (r) => reports.push(r) });
      const now = h.clock.now();
      const id = repo.idGenerator.generate();
      await h.store.save({
        id,
        kind: 'create',
        now,
        createdAt: now,
        lastAccessedAt: now,
        maxInactiveMs: 60_000,
        absoluteExpiresAt: null,
        expiresAt: now + 60_000,
        principal: null,
        set: new Map([
          ['ok', '1'],
          ['broken', '{not json'],
        ]),
        removed: [],
      });
      expect(await repo.findById(id)).toBeNull();
      expect(reports).toHaveLength(1);
      expect(JSON.stringify(reports[0])).not.toContain(id);
      expect(await h.store.load(id)).toBeNull();
    });

    it('lone surrogates in attribute values round-trip unchanged', async () => {
      const repo = h.repository();
      const values = ['\uD800', 'a\uDC00b', 'end \uDBFF', '\uDFFF\uD800 reversed', 'ok \uD83C\uDF6A'];
      const session = repo.createSession().set('list', values);
      for (const [i, value] of values.entries()) session.set(`v${i}`, value);
      await expectSaved(repo, session);
      const loaded = (await repo.findById(session.id))!;
      expect(loaded.get('list'), 'attribute values are opaque: lone surrogates must round-trip').toEqual(
        values,
      );
      for (const [i, value] of values.entries()) expect(loaded.get(`v${i}`)).toBe(value);
    });

    it('invalid attribute names are rejected by core, synchronously, before anything reaches the store', async (context) => {
      if (!coreHasDataRules()) context.skip(DATA_RULES_MISSING);
      const repo = h.repository();
      const session = repo.createSession().set('ok', 1);
      for (const name of ['', 'x'.repeat(513), 'lone \uD800', '\uDC00 lone', 'nul \u0000 byte']) {
        expect(
          () => session.set(name, 1),
          `attribute name ${JSON.stringify(name)} must be rejected with SessionDataError`,
        ).toThrow(expect.objectContaining({ code: 'INVALID_DATA' }));
      }
      await expectSaved(repo, session);
      expect((await repo.findById(session.id))?.names()).toEqual(['ok']);
    });

    corruptChecks(kit, h);
  });
}

/** A session whose stored data `kit.corrupt` replaced, or a skip when the hook cannot make `kind`. */
async function corrupted(
  kit: ResolvedStoreConformance,
  h: Harness<{ now(): number }>,
  context: TestContext,
  kind: CorruptionKind,
  id: string,
): Promise<void> {
  if (!(await kit.corrupt!(h.store, id, kind)))
    context.skip(`not applicable: the corrupt hook cannot write "${kind}" data in this backend`);
}

function corruptChecks(kit: ResolvedStoreConformance, h: Harness<{ now(): number }>): void {
  const withCorrupt = itWithHook(kit.corrupt, 'corrupt(store, id, kind)');

  /** Saves a signed-in session, corrupts it, and checks it reads as missing, reported and removed. */
  const missingReportedRemoved = async (context: TestContext, kind: CorruptionKind) => {
    const reports: unknown[] = [];
    const repo = h.repository({ onDecodeError: (r) => reports.push(r) });
    const session = repo.createSession().set('a', 1);
    session.principal = `corrupted-${repo.idGenerator.generate()}`;
    await expectSaved(repo, session);
    await corrupted(kit, h, context, kind, session.id);
    expect(await repo.findById(session.id), `${kind} data must read as a missing session`).toBeNull();
    expect(reports.length, `${kind} data must be reported through onDecodeError`).toBeGreaterThanOrEqual(1);
    expect(
      await h.store.load(session.id).catch(() => 'unreadable'),
      `${kind} data must be removed`,
    ).toBeNull();
    // The store keeps serving: new sessions, and writes to others.
    const fresh = repo.createSession().set('b', 2);
    await expectSaved(repo, fresh);
    fresh.set('b', 3);
    await expectSaved(repo, fresh);
    expect((await repo.findById(fresh.id))?.get('b')).toBe(3);
  };

  withCorrupt(
    'unreadable backend data is a missing session, reported and removed, never a crash',
    (context) => missingReportedRemoved(context, 'unreadable'),
  );

  withCorrupt(
    'out-of-range stored numbers are corrupt data: missing, reported and removed',
    async (context) => {
      if (!(await coreValidatesRecords())) context.skip(RECORD_VALIDATION_MISSING);
      await missingReportedRemoved(context, 'out-of-range');
    },
  );

  for (const kind of ['unreadable', 'out-of-range'] as const) {
    withCorrupt(
      `one ${kind} session among a principal's sessions: the listing still returns the others`,
      async (context) => {
        requireCapability(context, h.store, 'findByPrincipal');
        if (!(await coreAcceptsUnreadableEntries())) context.skip(UNREADABLE_ENTRIES_MISSING);
        if (kind === 'out-of-range' && !(await coreValidatesRecords()))
          context.skip(RECORD_VALIDATION_MISSING);
        const reports: unknown[] = [];
        const repo = h.repository({ onDecodeError: (r) => reports.push(r) });
        const principal = `listing-${kind}-${Math.random().toString(36).slice(2)}`;
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const session = repo.createSession().set('i', i);
          session.principal = principal;
          await expectSaved(repo, session);
          ids.push(session.id);
        }
        await corrupted(kit, h, context, kind, ids[1]!);
        const rule = `findByPrincipal with one ${kind} record must list the others (omit it, or return { id, unreadable })`;
        const first = await repo.findByPrincipal(principal).catch((error: unknown) => error);
        expect(first instanceof Map ? new Set(first.keys()) : first, rule).toEqual(new Set([ids[0], ids[2]]));
        // Reported and removed, by the listing or by the next read of it.
        expect(await repo.findById(ids[1]!)).toBeNull();
        expect(reports.length, `${kind} data must be reported through onDecodeError`).toBeGreaterThanOrEqual(
          1,
        );
        expect(
          await h.store.load(ids[1]!).catch(() => 'unreadable'),
          `${kind} data must be removed`,
        ).toBeNull();
        expect(new Set((await repo.findByPrincipal(principal)).keys())).toEqual(new Set([ids[0], ids[2]]));
      },
    );
  }
}
