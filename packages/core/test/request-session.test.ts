import { describe, expect, it } from 'vitest';
import {
  createSessionManager,
  createSessionRepository,
  type HttpPort,
  type SessionEvent,
  type SessionManager,
  typedSession,
} from '../src/index.js';
import { MapStore } from './map-store.js';

function port(cookie?: string): HttpPort & { setCookies: string[] } {
  const setCookies: string[] = [];
  const headers = new Map<string, string>();
  return {
    setCookies,
    getRequestHeader: (name) => (name === 'cookie' ? cookie : undefined),
    isSecure: () => false,
    getResponseHeader: (name) => headers.get(name),
    setResponseHeader: (name, value) => void headers.set(name, value),
    appendResponseHeader: (name, value) =>
      void (name === 'set-cookie' ? setCookies.push(value) : headers.set(name, value)),
  };
}

/** A stored session with `count` = 1 and principal alice; returns its cookie. */
async function stored(manager: SessionManager): Promise<string> {
  const first = port();
  const handle = await manager.load(first);
  handle.session.set('count', 1);
  handle.session.principal = 'alice';
  await handle.commit();
  return first.setCookies[0]!.split(';')[0]!;
}

function setup() {
  const store = new MapStore();
  const repository = createSessionRepository({ store });
  return { store, repository, manager: createSessionManager({ repository }) };
}

describe('what the application sees', () => {
  it('has no adapter plumbing on the session', async () => {
    const { manager } = setup();
    const { session } = await manager.load(port());
    for (const name of ['trySaveSync', 'applyHeaders', 'commit']) expect(name in session).toBe(false);
  });

  it('refuses property assignment (the express-session habit) with a TypeError naming set(), even in sloppy mode', async () => {
    const { manager } = setup();
    const { session } = await manager.load(port());
    // new Function bodies are sloppy-mode code, like a plain CommonJS Express app.
    const assignSloppy = new Function('session', 'session.views = 1;') as (s: unknown) => void;
    expect(() => assignSloppy(session)).toThrow(TypeError);
    expect(() => assignSloppy(session)).toThrow(/session\.set\("views", value\)/);
    expect(() => Object.assign(session, { cart: [] })).toThrow(/session\.set/);
    expect(() => Reflect.deleteProperty(session, 'principal')).toThrow(/session\.remove/);
    expect(() => Object.defineProperty(session, 'x', { value: 1 })).toThrow(TypeError);
    session.principal = 'bob'; // the two real properties stay assignable
    session.maxInactiveMs = 60_000;
    expect(session.principal).toBe('bob');
    expect(session.maxInactiveMs).toBe(60_000);
  });

  it('calls express-session style callbacks, and refuses a callback that is not a function', async () => {
    const { manager } = setup();
    const cookie = await stored(manager);
    const { session } = await manager.load(port(cookie));
    const calls: unknown[] = [];
    await session.regenerate((error) => calls.push(['regenerate', error]));
    await session.save((error) => calls.push(['save', error]));
    await session.reload((error) => calls.push(['reload', error]));
    await session.destroy((error) => calls.push(['destroy', error]));
    expect(calls).toEqual([
      ['regenerate', undefined],
      ['save', undefined],
      ['reload', undefined],
      ['destroy', undefined],
    ]);
    expect(() => session.save('not a function' as never)).toThrow(/callback must be a function/);
  });

  it('passes a failure to the callback instead of rejecting', async () => {
    const { manager, store } = setup();
    const { session } = await manager.load(port());
    store.save = async () => {
      throw new Error('down');
    };
    session.set('a', 1);
    const seen = await new Promise((resolve) => void session.save(resolve));
    expect(seen).toEqual(new Error('down'));
  });

  it('gives all attributes at once: entries() and toJSON() with values, id masked', async () => {
    const { manager } = setup();
    const cookie = await stored(manager);
    const { session } = await manager.load(port(cookie));
    session.set('cart', ['apple']);
    expect(session.entries()).toEqual([
      ['count', 1],
      ['cart', ['apple']],
    ]);
    const json = session.toJSON();
    expect(json.attributes).toEqual({ count: 1, cart: ['apple'] });
    expect(json.principal).toBe('alice');
    expect(JSON.stringify(json)).not.toContain(cookie.slice(4, 20));
    expect(String(json.id)).toMatch(/…|\*/);
  });

  it('reload() discards unsaved changes and re-reads what is stored', async () => {
    const { manager } = setup();
    const cookie = await stored(manager);
    const { session } = await manager.load(port(cookie));
    session.set('count', 99);
    const other = await manager.load(port(cookie));
    other.session.set('count', 2);
    await other.commit();
    await session.reload();
    expect(session.get('count')).toBe(2);
  });

  it("a destroyed signed-in session's deleted event carries its principal", async () => {
    const { manager, repository } = setup();
    const events: SessionEvent[] = [];
    repository.on('deleted', (event) => void events.push(event));
    const cookie = await stored(manager);
    const { session } = await manager.load(port(cookie));
    await session.destroy();
    const other = await stored(manager);
    await repository.deleteById(other.slice(4)); // an administrator revoking by id
    expect(events.map((e) => e.principal)).toEqual(['alice', 'alice']);
  });

  it("tells a request whose changes were dropped: save() resolves 'gone' after another request destroyed the session", async () => {
    const { manager } = setup();
    const cookie = await stored(manager);
    const slow = await manager.load(port(cookie));
    const logout = await manager.load(port(cookie));
    await logout.session.destroy();
    slow.session.set('late', 1);
    expect(await slow.session.save()).toBe('gone');
    const fresh = await manager.load(port(cookie));
    expect(fresh.session.isNew).toBe(true);
    const writer = await manager.load(port());
    writer.session.set('a', 1);
    expect(await writer.session.save()).toBe('saved');
  });
});

describe("typedSession (adapters' typed accessors)", () => {
  it('views an @sess session with another Data type, and refuses anything else by name', async () => {
    const { manager } = setup();
    const { session } = await manager.load(port());
    expect(typedSession<{ cart: string[] }>(session, 'sessions.of(req)')).toBe(session);
    expect(() => typedSession(undefined, 'sessions.of(req)')).toThrow(
      /sessions\.of\(req\): the request has no @sess session/,
    );
    expect(() => typedSession({ get: () => 1 }, 'sessions.of(ctx)')).toThrow(TypeError);
  });
});
