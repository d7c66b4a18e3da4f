import { fileURLToPath } from 'node:url';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { coreAcceptsUnreadableEntries, UNREADABLE_ENTRIES_MISSING } from '../src/store/core-features.js';
import { BUGS, type Bug } from './fixtures/memory-copy.js';

/**
 * Each store bug of #11 §3 and #14 must make the kit fail. The kit runs (through vitest's Node API)
 * against a faithful copy of the memory store, the copy without optional capabilities, and one broken
 * copy per bug; for each broken copy exactly the check written for its bug must fail. The real-clock
 * suites (1 s timeouts) run for the controls only, to keep this fast; no broken copy touches them.
 */

const root = fileURLToPath(new URL('..', import.meta.url));

interface Outcome {
  failed: Map<string, string>;
  skipped: Map<string, string>;
  passed: Set<string>;
}

const EXPECTED_FAILURES: Record<Bug, string[]> = {
  'update-revives-expired': ['an update at or after expiry resolves false and does not bring it back'],
  'touch-revives-expired': ['a touch at or after expiry resolves false and does not bring it back'],
  'change-id-revives-expired': [
    'an id change at or after expiry resolves false and creates nothing under the new id',
  ],
  'change-id-overwrites': [
    'an id change into an id that already exists fails with CONFLICT and leaves both sessions',
  ],
  'change-id-loses-racing-writes': [
    'writes racing an id change: each one acknowledged is kept under the new id, each refused wrote nothing',
  ],
  'principal-trimmed': [DISTINCT_PRINCIPALS()],
  // Case folding also breaks the checks whose principals carry a (mixed-case) session id.
  'principal-case-folded': [
    DISTINCT_PRINCIPALS(),
    'expired sessions are not returned by find-by-principal',
    'keeps data, timestamps and principal under the new id; the old id is gone',
  ],
  'principal-nfc-normalised': [DISTINCT_PRINCIPALS()],
  'cleanup-never-removes': [
    'removes expired sessions nobody reads again, and keeps the live ones',
    'the boundary: a session expiring exactly at `now` is removed, one expiring 1 ms later is kept',
  ],
  'cleanup-misses-boundary': [
    'the boundary: a session expiring exactly at `now` is removed, one expiring 1 ms later is kept',
  ],
  'values-through-utf8': ['lone surrogates in attribute values round-trip unchanged'],
  'raw-driver-errors': [
    'every operation rejects with StoreUnavailableError, never a raw driver error or a hang',
  ],
  'listing-fails-on-unreadable': [
    "one unreadable session among a principal's sessions: the listing still returns the others",
  ],
};

function DISTINCT_PRINCIPALS(): string {
  return 'distinct principals stay distinct: trailing space, case and Unicode normalisation (NFC/NFD) are not folded';
}

/** Checks that need a newer core: until it is installed they skip (with this reason) instead of failing. */
const NEEDS_CORE: Partial<Record<Bug, { available: () => Promise<boolean>; reason: string }>> = {
  'listing-fails-on-unreadable': {
    available: coreAcceptsUnreadableEntries,
    reason: UNREADABLE_ENTRIES_MISSING,
  },
};

const outcomes = new Map<string, Outcome>();

function collect(task: RunnerTask, variant: string | null): void {
  const match = /^@sess store conformance: memory copy: (.*)$/.exec(task.name);
  const current = match ? match[1]! : variant;
  if (task.type === 'test' && current !== null) {
    let outcome = outcomes.get(current);
    if (!outcome) {
      outcome = { failed: new Map(), skipped: new Map(), passed: new Set() };
      outcomes.set(current, outcome);
    }
    const test = task as RunnerTestCase;
    const state = test.result?.state ?? test.mode;
    if (state === 'fail') outcome.failed.set(test.name, test.result?.errors?.[0]?.message ?? '');
    else if (state === 'pass') outcome.passed.add(test.name);
    // A run-time skip's reason (context.skip(note)) is kept on the result, untyped in vitest 3.2.
    else outcome.skipped.set(test.name, (test.result as { note?: string } | undefined)?.note ?? '');
    return;
  }
  if ('tasks' in task) for (const child of task.tasks) collect(child, current);
}

beforeAll(async () => {
  const vitest = await startVitest(
    'test',
    [],
    {
      root,
      config: false,
      include: ['test/fixtures/*.kit.ts'],
      watch: false,
      reporters: [{}],
      // Real-clock suites sleep for seconds: run them against the controls only.
      testNamePattern: '(memory copy: control)|^(?!.*(real clock|events: expired))',
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
    {},
  );
  for (const file of vitest.state.getFiles()) collect(file, null);
  await vitest.close();
}, 120_000);

describe('the kit against the memory copy', () => {
  it('passes the faithful copy, every check run or skipped with a reason', () => {
    const control = outcomes.get('control')!;
    expect([...control.failed.keys()]).toEqual([]);
    expect(control.passed.size).toBeGreaterThan(50);
    for (const [name, note] of control.skipped)
      expect(note || name, name).toMatch(/not applicable|skipped|@sess\/core/);
  });

  it('reports the checks of capabilities the store lacks as skipped with their reason, never as passed', () => {
    const bare = outcomes.get('control without capabilities')!;
    expect([...bare.failed.keys()]).toEqual([]);
    const skippedFor = (capability: string) =>
      [...bare.skipped].filter(
        ([, note]) => note.includes(`the store has no `) && note.includes(`(capability "${capability}")`),
      );
    for (const capability of ['findByPrincipal', 'touch', 'changeId', 'events', 'cleanup']) {
      expect(skippedFor(capability).length, capability).toBeGreaterThan(0);
    }
    expect(bare.passed).toContain(
      'without the findByPrincipal capability, fails with UNSUPPORTED (never an empty answer)',
    );
    expect(bare.passed).toContain('without the cleanup capability, cleanupExpired fails with UNSUPPORTED');
    expect(bare.passed).toContain('reports expiry found on read (process-level events)');
  });
});

describe('each broken copy fails exactly the check written for its bug', () => {
  for (const bug of BUGS) {
    it(bug, async () => {
      const outcome = outcomes.get(bug)!;
      expect(outcome, `no results for ${bug}`).toBeDefined();
      const needs = NEEDS_CORE[bug];
      if (needs && !(await needs.available())) {
        // Until core has the rule, the check skips with its reason (and nothing else fails).
        expect([...outcome.failed.keys()]).toEqual([]);
        for (const name of EXPECTED_FAILURES[bug]) expect(outcome.skipped.get(name)).toBe(needs.reason);
        return;
      }
      expect([...outcome.failed.keys()].sort()).toEqual([...EXPECTED_FAILURES[bug]].sort());
      // Failures say what is wrong: each message names the contract rule the copy broke.
      for (const message of outcome.failed.values()) expect(message).toMatch(/must|expected/);
    });
  }
});
