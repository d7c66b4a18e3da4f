import { type SessionEvent, type SessionStore, storeCapabilities, systemClock } from '@sess/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { waitFor } from '../wait-for.js';
import { sleep, useRealHarness } from './harness.js';
import type { ResolvedStoreConformance } from './options.js';

/**
 * Two instances of the store on one namespace (two processes of one application): each hears every
 * event once, whichever instance caused it, and expiries nobody caused are reported to both, once.
 * Runs when the kit has `createPeer` and the store delivers events itself.
 */
export function peerEventsSuite(kit: ResolvedStoreConformance): void {
  const it = kitCheck(kit);
  const createPeer = kit.createPeer;
  if (!createPeer) return;
  describe('events across instances (a peer store on the same namespace)', () => {
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
        await repo.save(probe);
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

    it('each instance hears created, id-changed and deleted once, whichever instance wrote', async () => {
      if (!storeCapabilities(h.store).events) return;
      await withBoth(async (a, b) => {
        const repo = h.repository();
        const session = repo.createSession().set('a', 1);
        session.principal = 'peer-events';
        await repo.save(session);
        const firstId = session.id;
        session.changeId();
        await repo.save(session);
        // The peer reads what the first instance wrote (shared namespace) and deletes it.
        const onPeer = await h.repository({ store: peer! }).findById(session.id);
        expect(onPeer?.get('a')).toBe(1);
        await h.repository({ store: peer! }).deleteById(session.id);
        const done = (l: Listening) => l.of(session.id).includes('deleted');
        expect(await waitFor(() => done(a) && done(b), kit.eventLatencyMs)).toBe(true);
        await sleep(200); // duplicates, if any, would arrive now
        for (const l of [a, b]) {
          expect(l.of(firstId)).toEqual(['created']);
          expect(l.of(session.id)).toEqual(['id-changed', 'deleted']);
        }
      });
    });

    it('an expiry nobody caused is reported to each instance once', async () => {
      if (!storeCapabilities(h.store).events) return;
      await withBoth(async (a, b) => {
        const repo = h.repository({ idleTimeoutMs: 1000 });
        const session = repo.createSession().set('a', 1);
        await repo.save(session);
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
