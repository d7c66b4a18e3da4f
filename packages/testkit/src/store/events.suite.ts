import type { SessionEvent, SessionEventType } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { waitFor } from '../wait-for.js';
import { requireCapability, requireNoCapability } from './applicability.js';
import { expectSaved } from './contract-rules.js';
import { type Harness, useManualHarness, useRealHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

function record(h: Harness<{ now(): number }>, repo: ReturnType<typeof h.repository>) {
  const seen: SessionEvent[] = [];
  const types: SessionEventType[] = ['created', 'deleted', 'expired', 'id-changed'];
  const offs = types.map((type) => repo.on(type, (event) => seen.push(event)));
  return {
    seen,
    off: () => {
      for (const off of offs) off();
    },
    find: (type: SessionEventType, id: string) => seen.find((e) => e.type === type && e.sessionId === id),
  };
}

export function eventsSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  describe('events: created, deleted, id-changed', () => {
    const h = useRealHarness(kit);
    const within = kit.eventLatencyMs;

    it('announces creation, id change and deletion, with the principal when known', async () => {
      const repo = h.repository();
      const events = record(h, repo);
      try {
        const session = repo.createSession().set('a', 1);
        session.principal = 'evented';
        await expectSaved(repo, session);
        expect(await waitFor(() => !!events.find('created', session.id), within)).toBe(true);
        const oldId = session.id;
        session.changeId();
        await expectSaved(repo, session);
        expect(await waitFor(() => !!events.find('id-changed', session.id), within)).toBe(true);
        const changed = events.find('id-changed', session.id);
        expect(changed?.type === 'id-changed' && changed.previousId).toBe(oldId);
        await repo.deleteById(session.id);
        expect(await waitFor(() => !!events.find('deleted', session.id), within)).toBe(true);
        // Each happened once, and nothing was reported for the old id.
        expect(events.seen.filter((e) => e.sessionId === session.id).map((e) => e.type)).toEqual([
          'id-changed',
          'deleted',
        ]);
        expect(events.seen.filter((e) => e.sessionId === oldId).map((e) => e.type)).toEqual(['created']);
      } finally {
        events.off();
      }
    });

    it('a throwing listener neither breaks the operation nor other listeners', async () => {
      const errors: unknown[] = [];
      const repo = h.repository({ onListenerError: (e) => errors.push(e) });
      const offBad = repo.on('created', () => {
        throw new Error('listener bug');
      });
      const events = record(h, repo);
      try {
        const session = repo.createSession().set('a', 1);
        await expectSaved(repo, session);
        expect(await waitFor(() => !!events.find('created', session.id), within)).toBe(true);
        expect(errors.length).toBeGreaterThan(0);
      } finally {
        offBad();
        events.off();
      }
    });

    it('an unsubscribed listener hears nothing more', async () => {
      const repo = h.repository();
      const events = record(h, repo);
      events.off();
      const session = repo.createSession().set('a', 1);
      await expectSaved(repo, session);
      await repo.deleteById(session.id);
      await new Promise((r) => setTimeout(r, 200));
      expect(events.seen).toEqual([]);
    });
  });
  describe('events: expired', () => {
    const manual = useManualHarness(kit);
    const real = useRealHarness(kit);

    it('reports expiry of a session that nobody reads again (store-delivered events)', async (context) => {
      requireCapability(context, real.store, 'events');
      const repo = real.repository({ idleTimeoutMs: 1000 });
      const events = record(real, repo);
      try {
        const session = repo.createSession().set('a', 1);
        session.principal = 'expires-alone';
        await expectSaved(repo, session);
        const arrived = await waitFor(
          () => !!events.find('expired', session.id),
          1000 + kit.expiryLatencyMs + kit.eventLatencyMs,
          50,
        );
        expect(arrived).toBe(true);
        expect(events.seen.filter((e) => e.type === 'expired' && e.sessionId === session.id)).toHaveLength(1);
      } finally {
        events.off();
      }
    });

    it('reports expiry found on read (process-level events)', async (context) => {
      requireNoCapability(context, manual.store, 'events');
      const repo = manual.repository({ idleTimeoutMs: 60_000 });
      const events = record(manual, repo);
      try {
        const session = repo.createSession().set('a', 1);
        await expectSaved(repo, session);
        manual.clock.advance(60_000);
        expect(await repo.findById(session.id)).toBeNull();
        expect(events.find('expired', session.id)).toBeDefined();
        expect(events.find('deleted', session.id)).toBeUndefined();
      } finally {
        events.off();
      }
    });
  });
}
