import { type SessionEvent, type SessionStore, systemClock } from '@sess/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { waitFor } from '../wait-for.js';
import { itWithHook, requireCapability } from './applicability.js';
import { expectSaved } from './contract-rules.js';
import { sleep, useRealHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

/**
 * Two instances of the store on one namespace (two processes of one application): each hears every
 * event once, whichever instance caused it, and expiries nobody caused are reported to both, once.
 * Runs when the kit has `createPeer` and the store delivers events itself.
 */
export function peerEventsSuite(kit: ResolvedStoreConformance): void {
  const createPeer = kit.createPeer;
  describe('events across instances (a peer store on the same namespace)', () => {
    const check = itWithHook(createPeer, 'createPeer(store)');
    if (!createPeer) {
      // Registered as skipped (the reason in the name), so the report shows what was not checked.
      check(
        'each instance hears created, id-changed and deleted once, whichever instance wrote',
        async () => undefined,
      );
      check('an expiry nobody caused is reported to each instance once', async () => undefined);
      return;
    }
    const h = useRealHarness(kit);
    let peer: SessionStore | undefined;
    beforeAll(async () => {
      peer = await createPeer(h.store, { clock: systemClock });
    });
    afterAll(async () => {
      await peer?.close?.();
    });
    const listen = (store: SessionStore) => {
      const seen: SessionEvent[] = [];
      const off = store.subscribe?.((event) => seen.push(event)) ?? (() => undefined);
      const of = (id: string) => seen.filter((e) => e.sessionId === id).map((e) => e.type);
      return { seen, off, of };
    };

    /**
     * Delivery is promised once an instance's subscription is up, and some stores (LISTEN/NOTIFY)
     * subscribe only on their first listener: wait until the peer hears a probe session written by
     * the first instance, then test.
     */
    const subscribed = async (b: ReturnType<typeof listen>) => {
      const repo = h.repository();
      const deadline = Date.now() + kit.eventLatencyMs * 2;
      while (Date.now() < deadline) {
        const probe = repo.createSession().set('probe', true);
        await expectSaved(repo, probe);
        const heard = await waitFor(() => b.of(probe.id).length > 0, 250, 10);
        await repo.deleteById(probe.id);
        if (heard) return;
      }
      throw new Error(`the peer store heard no event within ${kit.eventLatencyMs * 2} ms`);
    };

    type Listening = ReturnType<typeof listen>;
    /** Both instances listening (the peer's subscription confirmed), for the duration of `check`. */
    const withBoth = async (check: (a: Listening, b: Listening) => Promise<void>) => {
      const a = listen(h.store);
      const b = listen(peer!);
      try {
        await subscribed(b);
        await check(a, b);
      } finally {
        a.off();
        b.off();
      }
    };

    check(
      'each instance hears created, id-changed and deleted once, whichever instance wrote',
      async (context) => {
        requireCapability(context, h.store, 'events');
        await withBoth(async (a, b) => {
          const repo = h.repository();
          const session = repo.createSession().set('a', 1);
          session.principal = 'peer-events';
          await expectSaved(repo, session);
          const firstId = session.id;
          session.changeId();
          await expectSaved(repo, session);
          // The peer reads what the first instance wrote (shared namespace) and deletes it.
          const onPeer = await h.repository({ store: peer! }).findById(session.id);
          expect(onPeer?.get('a')).toBe(1);
          await h.repository({ store: peer! }).deleteById(session.id);
          const done = (l: Listening) => l.of(session.id).includes('deleted');
          expect(await waitFor(() => done(a) && done(b), kit.eventLatencyMs)).toBe(true);
          await sleep(200); // duplicates, if any, would arrive now
          for (const l of [a, b]) {
            expect(l.of(firstId)).toEqual(['created']);
            // Once each; the order may differ between instances (one event is local, the other
            // arrives from the peer through the backend).
            expect([...l.of(session.id)].sort()).toEqual(['deleted', 'id-changed']);
          }
        });
      },
    );

    check('an expiry nobody caused is reported to each instance once', async (context) => {
      requireCapability(context, h.store, 'events');
      await withBoth(async (a, b) => {
        const repo = h.repository({ idleTimeoutMs: 1000 });
        const session = repo.createSession().set('a', 1);
        await expectSaved(repo, session);
        const expired = (l: Listening) => l.of(session.id).includes('expired');
        const within = 1000 + kit.expiryLatencyMs + kit.eventLatencyMs;
        expect(await waitFor(() => expired(a) && expired(b), within, 50)).toBe(true);
        await sleep(500);
        expect(a.of(session.id).filter((t) => t === 'expired')).toHaveLength(1);
        expect(b.of(session.id).filter((t) => t === 'expired')).toHaveLength(1);
      });
    });
  });
}
