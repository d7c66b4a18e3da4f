import { describe, expect, it } from 'vitest';
import {
  createSessionRepository,
  type EventGap,
  type SessionEvent,
  SessionRepository,
  type SessionStore,
  storeCapabilities,
} from '../src/index.js';
import { MapStore } from './map-store.js';

const clockAt = (start: number) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

describe('SessionRepository', () => {
  it('reads capabilities from the methods a store has, and refuses what cannot be a store', () => {
    const store = new MapStore();
    expect(storeCapabilities(store)).toEqual({
      findByPrincipal: false,
      touch: false,
      changeId: false,
      events: false,
      gaps: false,
      cleanup: false,
    });
    const touching = Object.assign(Object.create(store) as SessionStore, { touch: async () => true });
    expect(storeCapabilities(touching).touch).toBe(true);
    const broken = Object.assign(Object.create(store) as SessionStore, { touch: true });
    expect(() => new SessionRepository({ store: broken })).toThrow(/touch that is not a method/);
    const gapsOnly = Object.assign(Object.create(store) as SessionStore, { subscribeGaps: () => () => {} });
    expect(() => new SessionRepository({ store: gapsOnly })).toThrow(/no subscribe/);
    expect(() => new SessionRepository({ store: {} as SessionStore })).toThrow(/must implement load/);
  });

  it('rejects nonsense timeouts at creation', () => {
    expect(() => createSessionRepository({ store: new MapStore(), idleTimeoutMs: 0 })).toThrow(
      /idleTimeoutMs/,
    );
    expect(() => createSessionRepository({ store: new MapStore(), absoluteTimeoutMs: -1 })).toThrow(
      /absoluteTimeoutMs/,
    );
  });

  it('raises process events for a store without events, expired on read', async () => {
    const clock = clockAt(1_000_000);
    const repo = createSessionRepository({ store: new MapStore(), clock, idleTimeoutMs: 1000 });
    expect(repo.eventSource).toBe('process');
    const events: SessionEvent[] = [];
    for (const type of ['created', 'deleted', 'expired', 'id-changed'] as const)
      repo.on(type, (e) => events.push(e));
    const session = repo.createSession().set('a', 1);
    await repo.save(session);
    const first = session.id;
    session.changeId();
    await repo.save(session);
    clock.advance(1000);
    expect(await repo.findById(session.id)).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['created', 'id-changed', 'expired']);
    expect(events[1]).toMatchObject({ previousId: first, sessionId: session.id });
  });

  it('reports undecodable sessions with a masked id and removes them', async () => {
    const store = new MapStore();
    const reports: { sessionId: string; removed: boolean }[] = [];
    const repo = createSessionRepository({ store, onDecodeError: (r) => reports.push(r) });
    const session = repo.createSession().set('a', 1);
    await repo.save(session);
    const record = store.records.get(session.id)!;
    store.records.set(session.id, { ...record, attributes: new Map([['a', 'not json']]) });
    expect(await repo.findById(session.id)).toBeNull();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.removed).toBe(true);
    expect(reports[0]!.sessionId).not.toBe(session.id);
    expect(store.records.has(session.id)).toBe(false);
  });

  it('keeps undecodable sessions when asked to', async () => {
    const store = new MapStore();
    const repo = createSessionRepository({ store, removeUndecodable: false, onDecodeError: () => undefined });
    const session = repo.createSession().set('a', 1);
    await repo.save(session);
    const record = store.records.get(session.id)!;
    store.records.set(session.id, { ...record, attributes: new Map([['a', '{']]) });
    expect(await repo.findById(session.id)).toBeNull();
    expect(store.records.has(session.id)).toBe(true);
  });

  it('throws UNSUPPORTED for find-by-principal on a store without it, and for unknown indexes', async () => {
    const repo = createSessionRepository({ store: new MapStore() });
    await expect(repo.findByPrincipal('x')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(repo.findByIndex('color', 'x')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(repo.cleanupExpired()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('never prints a raw id through util.inspect, JSON or String', async () => {
    const { inspect } = await import('node:util');
    const repo = createSessionRepository({ store: new MapStore() });
    const session = repo.createSession().set('then', 1).set('id', 'attr');
    for (const text of [inspect(session), JSON.stringify(session), String(session)])
      expect(text).not.toContain(session.id);
    expect(session.id).not.toBe('attr');
    expect(typeof (session as unknown as { then?: unknown }).then).toBe('undefined');
  });
});

describe('events missed (gaps)', () => {
  it('passes the store gaps to listeners, isolates a throwing one, and stops on unsubscribe', () => {
    const store = new MapStore() as MapStore & {
      subscribe(): () => void;
      subscribeGaps(l: (gap: EventGap) => void): () => void;
    };
    const gapListeners = new Set<(gap: EventGap) => void>();
    store.subscribe = () => () => undefined; // gaps are about store events: a store reporting them has them
    store.subscribeGaps = (listener) => {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    };
    const errors: unknown[] = [];
    const repo = createSessionRepository({ store, onListenerError: (e) => errors.push(e) });
    const seen: EventGap[] = [];
    const offBad = repo.onEventsMissed(() => {
      throw new Error('listener bug');
    });
    const off = repo.onEventsMissed((gap) => seen.push(gap));
    for (const listener of gapListeners) listener({ from: 1, to: 2 });
    expect(seen).toEqual([{ from: 1, to: 2 }]);
    expect(errors).toHaveLength(1);
    off();
    offBad();
    expect(gapListeners.size).toBe(0);
  });

  it('is a no-op for a store that cannot lose events', () => {
    const repo = createSessionRepository({ store: new MapStore() });
    const off = repo.onEventsMissed(() => undefined);
    expect(typeof off).toBe('function');
    off();
  });
});

describe('event types', () => {
  it('narrow per event type', () => {
    const repo = createSessionRepository({ store: new MapStore() });
    const off = repo.on('expired', (event) => {
      const id: string = event.sessionId; // compiles only if 'expired' narrows to a real event type
      expect(id).toBeTypeOf('string');
    });
    const offChanged = repo.on('id-changed', (event) => expect(event.previousId).toBeTypeOf('string'));
    off();
    offChanged();
  });
});

describe('create-if-absent', () => {
  it('a new session whose id is taken gets a fresh id instead of overwriting', async () => {
    let n = 0;
    const ids = ['A'.repeat(43), 'A'.repeat(43), 'B'.repeat(43)];
    const idGenerator = { generate: () => ids[n++]!, isValid: (id: string) => id.length === 43 };
    const store = new MapStore();
    const repo = createSessionRepository({ store, idGenerator });
    const first = repo.createSession().set('owner', 'first');
    await repo.save(first);
    const second = repo.createSession().set('owner', 'second');
    expect(second.id).toBe(first.id);
    await repo.save(second);
    expect(second.id).toBe('B'.repeat(43));
    expect((await repo.findById(first.id))?.get('owner')).toBe('first');
  });
});
