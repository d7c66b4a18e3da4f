import { describe, expect, it } from 'vitest';
import {
  createSessionRepository,
  SessionDataError,
  type SessionRecord,
  type SessionStore,
  type UnreadableSession,
} from '../src/index.js';
import { MapStore } from './map-store.js';

const bad = ['', 'a\u0000b', '\ud800', 'x\udc00', 'x'.repeat(513)];
const good = ['a', 'x'.repeat(512), '😀', ' padded ', 'Alice', 'alice', '__proto__'];

describe('principal and attribute name rules', () => {
  it('rejects unstorable principals synchronously where they are set, with INVALID_DATA', () => {
    const repository = createSessionRepository({ store: new MapStore() });
    for (const value of [...bad, 42 as unknown as string]) {
      const session = repository.createSession();
      expect(() => {
        session.principal = value;
      }).toThrow(SessionDataError);
      expect(session.principal).toBeNull();
    }
    try {
      repository.createSession().principal = '\u0000';
    } catch (error) {
      expect((error as SessionDataError).code).toBe('INVALID_DATA');
    }
  });

  it('rejects unstorable attribute names synchronously', () => {
    const repository = createSessionRepository({ store: new MapStore() });
    for (const name of bad) {
      const session = repository.createSession();
      expect(() => session.set(name, 1)).toThrow(SessionDataError);
      expect(session.names()).toEqual([]);
    }
  });

  it('accepts every storable string as is: no trimming, folding or normalisation', async () => {
    const store = new MapStore();
    const repository = createSessionRepository({ store });
    for (const value of good) {
      const session = repository.createSession().set(value, value);
      session.principal = value;
      await repository.save(session);
      const loaded = (await repository.findById(session.id))!;
      expect(loaded.principal).toBe(value);
      expect(loaded.names()).toEqual([value]);
    }
    const session = repository.createSession().set('Alice', 1).set('alice', 2);
    expect(session.names()).toEqual(['Alice', 'alice']);
  });
});

describe('session size limits', () => {
  it('refuses a save over the attribute count, writing nothing', async () => {
    const store = new MapStore();
    const repository = createSessionRepository({ store, limits: { maxAttributes: 3 } });
    const session = repository.createSession();
    for (let i = 0; i < 4; i++) session.set(`a${i}`, i);
    await expect(repository.save(session)).rejects.toThrow(SessionDataError);
    expect(store.records.size).toBe(0);
    session.remove('a3');
    expect(await repository.save(session)).toBe(true);
    const loaded = (await repository.findById(session.id))!;
    loaded.set('a3', 3);
    await expect(repository.save(loaded)).rejects.toMatchObject({ code: 'INVALID_DATA' });
    expect(store.records.get(session.id)!.attributes.size).toBe(3);
  });

  it('refuses a save over the encoded length, counting attributes already stored', async () => {
    const store = new MapStore();
    const repository = createSessionRepository({ store, limits: { maxEncodedLength: 100 } });
    const session = repository.createSession().set('a', 'x'.repeat(60));
    await repository.save(session);
    const loaded = (await repository.findById(session.id))!;
    loaded.set('b', 'y'.repeat(60));
    await expect(repository.save(loaded)).rejects.toThrow(/maxEncodedLength/);
    expect(store.records.get(session.id)!.attributes.has('b')).toBe(false);
  });

  it('has defaults: 1000 attributes', async () => {
    const repository = createSessionRepository({ store: new MapStore() });
    const session = repository.createSession();
    for (let i = 0; i < 1001; i++) session.set(`a${i}`, i);
    await expect(repository.save(session)).rejects.toThrow(SessionDataError);
    session.remove('a0');
    expect(await repository.save(session)).toBe(true);
  });

  it('has defaults: 4 Mi characters of encoded attributes', async () => {
    const repository = createSessionRepository({ store: new MapStore() });
    const session = repository.createSession().set('big', 'x'.repeat(4 * 1024 * 1024));
    await expect(repository.save(session)).rejects.toThrow(/maxEncodedLength/);
    session.set('big', 'x'.repeat(4 * 1024 * 1024 - 100));
    expect(await repository.save(session)).toBe(true);
  });

  it('refuses nonsense limits', () => {
    expect(() => createSessionRepository({ store: new MapStore(), limits: { maxAttributes: 0 } })).toThrow(
      /maxAttributes/,
    );
  });
});

/** A store that returns whatever record it is given, as a hand-edited backend would. */
class RawStore extends MapStore {
  override async load(id: string) {
    return this.records.get(id) ?? null;
  }
}

describe('stored records core refuses', () => {
  const base = () => {
    const now = Date.now();
    return {
      id: 'x'.repeat(43),
      createdAt: now,
      lastAccessedAt: now,
      maxInactiveMs: 60_000,
      absoluteExpiresAt: null,
      expiresAt: now + 60_000,
      principal: 'p',
      attributes: new Map([['a', '1']]),
    } satisfies SessionRecord;
  };
  const corrupt: [string, Partial<SessionRecord>][] = [
    ['maxInactiveMs = 2^63 - 1', { maxInactiveMs: Number('9223372036854775807') }],
    ['maxInactiveMs = 0', { maxInactiveMs: 0 }],
    ['maxInactiveMs > 10 years', { maxInactiveMs: 11 * 365 * 86_400_000 }],
    ['expiresAt = Infinity', { expiresAt: Number.POSITIVE_INFINITY }],
    ['expiresAt = NaN', { expiresAt: Number.NaN }],
    ['createdAt after lastAccessedAt', { createdAt: Date.now() + 10_000 }],
    ['absoluteExpiresAt = -Infinity', { absoluteExpiresAt: Number.NEGATIVE_INFINITY }],
    ['expiresAt far from its parts', { expiresAt: Date.now() + 3_600_000 }],
  ];
  for (const [what, change] of corrupt) {
    it(`${what}: reported, treated as missing, removed`, async () => {
      const store = new RawStore();
      const reports: unknown[] = [];
      const repository = createSessionRepository({ store, onDecodeError: (r) => reports.push(r) });
      const record = { ...base(), ...change };
      store.records.set(record.id, record);
      expect(await repository.findById(record.id)).toBeNull();
      expect(reports).toEqual([expect.objectContaining({ removed: true })]);
      expect(store.records.has(record.id)).toBe(false);
    });
  }

  it('findByPrincipal skips, reports and removes unreadable sessions, and lists the rest', async () => {
    const good = base();
    const unreadable: UnreadableSession = {
      id: 'u'.repeat(43),
      unreadable: new (await import('../src/index.js')).SessionDecodeError('bad row'),
    };
    const outOfRange = { ...base(), id: 'o'.repeat(43), maxInactiveMs: Number('9223372036854775807') };
    const deleted: string[] = [];
    const store: SessionStore = {
      name: 'listing',
      load: async () => null,
      save: async () => true,
      delete: async (id) => {
        deleted.push(id);
        return true;
      },
      findByPrincipal: async () => [good, unreadable, outOfRange],
    };
    const reports: unknown[] = [];
    const repository = createSessionRepository({ store, onDecodeError: (r) => reports.push(r) });
    const found = await repository.findByPrincipal('p');
    expect([...found.keys()]).toEqual([good.id]);
    expect(deleted.sort()).toEqual([unreadable.id, outOfRange.id].sort());
    expect(reports).toHaveLength(2);
  });
});

/** MapStore plus an atomic rename whose completion the test controls. */
class RenamingStore extends MapStore {
  gate: Promise<void> = Promise.resolve();
  async changeId(oldId: string, newId: string) {
    const record = this.records.get(oldId);
    if (!record) return false;
    this.records.delete(oldId);
    this.records.set(newId, { ...record, id: newId });
    await this.gate; // the rename is done in the store, its answer not yet delivered
    return true;
  }
}

describe('writes racing a rename (in this process)', () => {
  it('are applied to the new id, reported as forwarded, and never revive the old id', async () => {
    const store = new RenamingStore();
    const repository = createSessionRepository({ store });
    const session = repository.createSession().set('a', 1);
    await repository.save(session);
    const racing = (await repository.findById(session.id))!;
    const rotating = (await repository.findById(session.id))!;
    const oldId = rotating.id;
    rotating.changeId();
    rotating.principal = 'alice';
    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    const rotated = repository.saveWithOutcome(rotating);
    racing.set('b', 2);
    racing.principal = 'mallory';
    const raced = repository.saveWithOutcome(racing);
    release();
    expect(await rotated).toBe('saved');
    expect(await raced).toBe('forwarded');
    expect(await repository.findById(oldId)).toBeNull();
    const now = (await repository.findById(rotating.id))!;
    expect(now.get('b')).toBe(2);
    expect(now.principal).toBe('alice'); // a racing request never changes who the session belongs to
    expect(store.records.has(oldId)).toBe(false);
  });

  it('are dropped, with outcome "gone", when forwarding is off', async () => {
    const store = new RenamingStore();
    const repository = createSessionRepository({ store, forwardWritesAfterRenameMs: 0 });
    const session = repository.createSession().set('a', 1);
    await repository.save(session);
    const racing = (await repository.findById(session.id))!;
    session.changeId();
    await repository.save(session);
    racing.set('b', 2);
    expect(await repository.saveWithOutcome(racing)).toBe('gone');
    expect(await repository.save(racing)).toBe(false);
    expect((await repository.findById(session.id))!.has('b')).toBe(false);
  });

  it('to a destroyed session are dropped, with outcome "gone"', async () => {
    const store = new RenamingStore();
    const repository = createSessionRepository({ store });
    const session = repository.createSession().set('a', 1);
    await repository.save(session);
    const racing = (await repository.findById(session.id))!;
    await repository.deleteById(session.id);
    racing.set('b', 2);
    expect(await repository.saveWithOutcome(racing)).toBe('gone');
  });
});

describe('idle timeouts core would refuse to read back', () => {
  it('are refused where they are set, so no store keeps a session core treats as corrupt', () => {
    expect(() =>
      createSessionRepository({ store: new MapStore(), idleTimeoutMs: 11 * 365 * 86_400_000 }),
    ).toThrow(/10 years/);
    const session = createSessionRepository({ store: new MapStore() }).createSession();
    expect(() => {
      session.maxInactiveMs = 1e30;
    }).toThrow(RangeError);
    session.maxInactiveMs = 9 * 365 * 86_400_000;
    expect(session.maxInactiveMs).toBe(9 * 365 * 86_400_000);
  });
});
