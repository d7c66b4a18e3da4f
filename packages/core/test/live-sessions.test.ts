import { describe, expect, it } from 'vitest';
import {
  createSessionManager,
  createSessionRepository,
  type HttpPort,
  type SessionRecord,
  type SessionRepository,
  type SessionWrite,
} from '../src/index.js';
import { MapStore } from './map-store.js';

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A MapStore that answers after a delay, as a networked store does. */
class SlowStore extends MapStore {
  constructor(readonly delayMs = 1) {
    super();
  }
  override async load(id: string): Promise<SessionRecord | null> {
    await tick(this.delayMs);
    return super.load(id);
  }
  override async save(write: SessionWrite): Promise<boolean> {
    await tick(this.delayMs);
    return super.save(write);
  }
}

/** A MapStore whose saves wait until the test opens the gate. */
class GatedStore extends MapStore {
  #gate: (() => void) | undefined;
  saving: Promise<void> | undefined;
  hold(): void {
    this.saving = new Promise<void>((resolve) => {
      this.#gate = resolve;
    });
  }
  open(): void {
    this.#gate?.();
    this.saving = undefined;
  }
  override async save(write: SessionWrite): Promise<boolean> {
    if (this.saving !== undefined) await this.saving;
    return super.save(write);
  }
}

/** One request as an adapter runs it: acquire, run the handler, save, release. */
async function request<T>(
  repository: SessionRepository,
  id: string,
  handler: (session: NonNullable<Awaited<ReturnType<SessionRepository['acquire']>>>) => Promise<T> | T,
): Promise<T> {
  const session = await repository.acquire(id);
  if (!session) throw new Error('session not found');
  try {
    return await handler(session);
  } finally {
    await repository.saveWithOutcome(session);
    repository.release(session);
  }
}

async function stored(repository: SessionRepository): Promise<string> {
  const session = repository.createSession();
  session.set('count', 0);
  await repository.save(session);
  return session.id;
}

/** A handler that does I/O, then a read-modify-write of one attribute (an `/inc` route), then more I/O. */
const increment = async (session: { get(n: string): unknown; set(n: string, v: unknown): unknown }) => {
  await tick(Math.floor(Math.random() * 3));
  const count = (session.get('count') as number) + 1;
  session.set('count', count);
  await tick(Math.floor(Math.random() * 3));
  return count;
};

describe('live sessions: one session object per id per process', () => {
  it('50 concurrent read-modify-write requests on one session lose nothing, with one store read', async () => {
    const store = new SlowStore();
    const repository = createSessionRepository({ store });
    const id = await stored(repository);
    const loadsBefore = store.loads;
    const seen = await Promise.all(Array.from({ length: 50 }, () => request(repository, id, increment)));
    expect(new Set(seen).size).toBe(50);
    expect((await repository.findById(id))?.get('count')).toBe(50);
    expect(store.loads - loadsBefore).toBe(2); // one for the 50 arriving together, one for the check
  });

  it('without live sessions (liveSessions: false) each request has its own copy and increments are lost', async () => {
    const store = new SlowStore();
    const repository = createSessionRepository({ store, liveSessions: false });
    const id = await stored(repository);
    await Promise.all(Array.from({ length: 50 }, () => request(repository, id, increment)));
    expect((await repository.findById(id))?.get('count')).toBeLessThan(50);
  });

  it('a change made while a save of the same object is in flight is written by the next save', async () => {
    const store = new GatedStore();
    const repository = createSessionRepository({ store, clock: { now: () => 1_000_000 } });
    const session = repository.createSession();
    session.set('a', 1);
    await repository.save(session);
    const loaded = (await repository.acquire(session.id))!;
    loaded.set('a', 2);
    loaded.set('gone', 'x');
    store.hold();
    const first = repository.saveWithOutcome(loaded);
    await tick();
    // Another request sharing the object changes everything while the store is answering.
    loaded.set('a', 3);
    loaded.remove('gone');
    loaded.set('b', 1);
    loaded.principal = 'alice';
    loaded.maxInactiveMs = 60_000;
    store.open();
    expect(await first).toBe('saved');
    expect(await repository.saveWithOutcome(loaded)).toBe('saved');
    const record = store.records.get(session.id)!;
    expect(Object.fromEntries(record.attributes)).toEqual({ a: '3', b: '1' });
    expect(record.principal).toBe('alice');
    expect(record.maxInactiveMs).toBe(60_000);
    repository.release(loaded);
  });

  it('an access made while a save is in flight is written by the next save', async () => {
    let now = 1_000_000;
    const store = new GatedStore();
    const repository = createSessionRepository({ store, clock: { now: () => now } });
    const session = repository.createSession();
    session.set('a', 1);
    await repository.save(session);
    session.set('a', 2);
    store.hold();
    const first = repository.saveWithOutcome(session);
    await tick();
    now += 5_000;
    session.access(now);
    store.open();
    await first;
    expect(await repository.saveWithOutcome(session)).toBe('saved');
    expect(store.records.get(session.id)!.lastAccessedAt).toBe(now);
  });

  it('saves of one shared session run one after another', async () => {
    const store = new SlowStore(2);
    let inFlight = 0;
    let most = 0;
    const save = store.save.bind(store);
    store.save = async (write) => {
      most = Math.max(most, ++inFlight);
      try {
        return await save(write);
      } finally {
        inFlight--;
      }
    };
    const repository = createSessionRepository({ store });
    const id = await stored(repository);
    const session = (await repository.acquire(id))!;
    const saves = Array.from({ length: 5 }, (_, i) => {
      session.set(`k${i}`, i);
      return repository.saveWithOutcome(session);
    });
    await Promise.all(saves);
    expect(most).toBe(1);
    expect([...store.records.get(id)!.attributes.keys()].sort()).toEqual([
      'count',
      'k0',
      'k1',
      'k2',
      'k3',
      'k4',
    ]);
  });

  it('requests share the object only while one of them runs', async () => {
    const repository = createSessionRepository({ store: new MapStore() });
    const id = await stored(repository);
    const a = await repository.acquire(id);
    const b = await repository.acquire(id);
    expect(a).toBe(b);
    repository.release(a!);
    repository.release(b!);
    const c = await repository.acquire(id);
    expect(c).not.toBe(a);
    repository.release(c!);
  });

  it('destroy by one sharer: no request arriving with the id joins it, the others save nothing', async () => {
    const repository = createSessionRepository({ store: new MapStore() });
    const id = await stored(repository);
    const a = (await repository.acquire(id))!;
    const b = (await repository.acquire(id))!;
    expect(a).toBe(b);
    const destroying = repository.deleteSession(a);
    // At once, before the store has answered.
    const late = repository.acquire(id);
    await destroying;
    expect(await late).toBeNull();
    b.set('x', 1);
    expect(await repository.saveWithOutcome(b)).toBe('gone');
    repository.release(a);
    repository.release(b);
  });

  it('regenerate by one sharer: the others keep the old id, nobody joins the rotated session by the old id', async () => {
    const store = new MapStore();
    const repository = createSessionRepository({ store });
    const id = await stored(repository);
    const manager = createSessionManager({ repository });
    const port = (cookie: string | undefined) => {
      const response = new Map<string, string>();
      const p: HttpPort = {
        getRequestHeader: (name) => (name === 'cookie' && cookie ? `sid=${cookie}` : undefined),
        isSecure: () => false,
        getResponseHeader: (name) => response.get(name),
        setResponseHeader: (name, value) => void response.set(name, value),
        appendResponseHeader: (name, value) => void response.set(name, value),
      };
      return { p, response };
    };
    const victim = port(id);
    const attacker = port(id);
    const login = await manager.load(victim.p);
    const other = await manager.load(attacker.p);
    await login.session.regenerate();
    login.session.principal = 'alice';
    expect(login.session.id).not.toBe(id);
    expect(other.session.id).toBe(id); // the sharer still sees the old id
    // A request arriving with the old id now, before the login has committed, does not join.
    const late = await manager.load(port(id).p);
    expect(late.session.principal).toBeNull();
    await login.commit();
    other.session.set('x', 1);
    await other.commit();
    expect(attacker.response.get('set-cookie')).toBeUndefined(); // never learns the new id
    expect(other.outcome).toBe('forwarded');
    expect(victim.response.get('set-cookie')).toContain(login.session.id);
    expect(await repository.findById(id)).toBeNull();
    const rotated = (await repository.findById(login.session.id))!;
    expect(rotated.principal).toBe('alice');
    expect(rotated.get('x')).toBe(1);
    await late.commit();
  });

  it('through the manager: a read-only request commits synchronously and its commit releases the session', async () => {
    const store = new MapStore();
    const repository = createSessionRepository({ store });
    const id = await stored(repository);
    const manager = createSessionManager({ repository, touchIntervalMs: 60_000 });
    const port: HttpPort = {
      getRequestHeader: (name) => (name === 'cookie' ? `sid=${id}` : undefined),
      isSecure: () => false,
      getResponseHeader: () => undefined,
      setResponseHeader: () => undefined,
      appendResponseHeader: () => undefined,
    };
    const [a, b] = await Promise.all([manager.load(port), manager.load(port)]);
    expect(store.loads).toBe(1);
    expect(a.session.get('count')).toBe(0);
    expect(a.commit()).toBeUndefined(); // nothing to await for a read-only request
    expect(b.commit()).toBeUndefined();
    a.commit(); // a second commit (the error path) releases nothing twice
    const c = await manager.load(port);
    expect(store.loads).toBe(2); // both released: the next request reads the store again
    await c.commit();
  });

  it('a request that never commits pins nothing for ever: bounded in count and in age', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const repository = createSessionRepository({
      store: new MapStore(),
      clock,
      liveSessions: { maxEntries: 2, maxAgeMs: 1_000 },
    });
    const ids = [await stored(repository), await stored(repository), await stored(repository)];
    const held = await Promise.all(ids.map((id) => repository.acquire(id))); // never released
    // Past maxEntries the oldest entry is no longer shared.
    expect(await repository.acquire(ids[0]!)).not.toBe(held[0]);
    expect(await repository.acquire(ids[2]!)).toBe(held[2]);
    now += 1_001;
    expect(await repository.acquire(ids[2]!)).not.toBe(held[2]);
  });

  it('a shared session that expired is not joined', async () => {
    let now = 1_000_000;
    const repository = createSessionRepository({
      store: new MapStore(),
      clock: { now: () => now },
      idleTimeoutMs: 1_000,
    });
    const id = await stored(repository);
    const a = (await repository.acquire(id))!;
    now += 1_000;
    expect(await repository.acquire(id)).toBeNull();
    repository.release(a);
  });

  it('events may have been missed (a gap): nothing stays shared; close() stops the watch', async () => {
    const store = new (class extends MapStore {
      listeners = 0;
      gap: (() => void) | undefined;
      subscribe() {
        this.listeners++;
        return () => {
          this.listeners--;
        };
      }
      subscribeGaps(listener: (gap: { from: number; to: number }) => void) {
        this.gap = () => listener({ from: 0, to: 1 });
        return () => {
          this.gap = undefined;
        };
      }
    })();
    const repository = createSessionRepository({ store });
    const id = await stored(repository);
    expect(store.listeners).toBe(0); // nothing opened before the first request
    const held = (await repository.acquire(id))!;
    expect(store.listeners).toBe(1);
    expect(await repository.acquire(id)).toBe(held);
    store.gap!();
    expect(await repository.acquire(id)).not.toBe(held);
    await repository.close();
    expect(store.listeners).toBe(0);
    expect(store.gap).toBeUndefined();
  });

  it('a failed load is shared by the requests waiting on it, and not kept', async () => {
    const store = new MapStore();
    const repository = createSessionRepository({ store });
    const id = await stored(repository);
    const load = store.load.bind(store);
    store.load = async () => {
      throw new Error('down');
    };
    const attempts = [repository.acquire(id), repository.acquire(id)];
    await expect(attempts[0]).rejects.toThrow('down');
    await expect(attempts[1]).rejects.toThrow('down');
    store.load = load;
    expect(await repository.acquire(id)).not.toBeNull();
  });
});
