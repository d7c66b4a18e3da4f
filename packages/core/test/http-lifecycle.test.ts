import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  compositeIdResolver,
  cookieIdResolver,
  createSessionManager,
  createSessionRepository,
  type HttpPort,
  headerIdResolver,
  resolveCookieOptions,
  type SessionManagerOptions,
} from '../src/index.js';
import { MapStore } from './map-store.js';

/** An in-memory HttpPort: a request's headers in, a response's headers out. */
function fakePort(requestHeaders: Record<string, string> = {}, secure = false) {
  const response = new Map<string, string[]>();
  const port: HttpPort = {
    getRequestHeader: (name) => requestHeaders[name],
    isSecure: () => secure,
    getResponseHeader: (name) => response.get(name)?.join(', '),
    setResponseHeader: (name, value) => void response.set(name, [value]),
    appendResponseHeader: (name, value) => void response.set(name, [...(response.get(name) ?? []), value]),
  };
  return { port, response, setCookie: () => response.get('set-cookie') ?? [] };
}

function setup(options: Partial<SessionManagerOptions> = {}) {
  const store = new MapStore();
  const repository = createSessionRepository({ store });
  const manager = createSessionManager({ repository, ...options });
  return { store, repository, manager };
}

describe('request lifecycle', () => {
  it('no id: no store I/O, no session, no cookie', async () => {
    const { store, manager } = setup();
    const { port, setCookie } = fakePort();
    const session = (await manager.load(port)).session;
    expect(session.get('x')).toBeUndefined();
    expect(session.isNew).toBe(true);
    await session.save();
    expect(store.loads + store.writes).toBe(0);
    expect(setCookie()).toEqual([]);
  });

  it('first write creates the session and sets a secure-by-default cookie (Secure on HTTPS)', async () => {
    const { store, manager } = setup();
    const { port, setCookie, response } = fakePort({}, true);
    const session = (await manager.load(port)).session;
    session.set('a', 1);
    await session.save();
    expect(store.records.size).toBe(1);
    expect(setCookie()[0]).toMatch(/^sid=[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(response.get('cache-control')).toEqual(['no-store']);
  });

  it('keeps an application Cache-Control that is already private', async () => {
    const { manager } = setup();
    const { port, response } = fakePort();
    port.setResponseHeader('cache-control', 'private, max-age=0');
    const session = (await manager.load(port)).session;
    session.set('a', 1);
    await session.save();
    expect(response.get('cache-control')).toEqual(['private, max-age=0']);
  });

  it('touches at most once per interval', async () => {
    let now = 1_000_000;
    const store = new MapStore();
    const repository = createSessionRepository({ store, clock: { now: () => now } });
    const manager = createSessionManager({ repository, touchIntervalMs: 60_000 });
    const first = (await manager.load(fakePort().port)).session;
    first.set('a', 1);
    await first.save();
    const cookie = `sid=${first.id}`;
    store.writes = 0;
    now += 59_000;
    await (await manager.load(fakePort({ cookie }).port)).commit();
    expect(store.writes).toBe(0);
    now += 2_000;
    await (await manager.load(fakePort({ cookie }).port)).commit();
    expect(store.writes).toBe(1);
    expect(store.records.get(first.id)!.lastAccessedAt).toBe(now);
  });

  it('preventCreation refuses a new session but not an existing one', async () => {
    const { manager } = setup();
    const anonymous = (await manager.load(fakePort().port)).session;
    anonymous.preventCreation();
    expect(() => anonymous.set('a', 1)).toThrow(expect.objectContaining({ code: 'CREATION_FORBIDDEN' }));
    const creator = (await manager.load(fakePort().port)).session;
    creator.set('a', 1);
    await creator.save();
    const existing = (await manager.load(fakePort({ cookie: `sid=${creator.id}` }).port)).session;
    existing.preventCreation();
    existing.set('b', 2);
    await existing.save();
  });

  it('destroy clears the cookie; a write after destroy starts a new session', async () => {
    const { manager, store } = setup();
    const first = (await manager.load(fakePort().port)).session;
    first.set('a', 1);
    await first.save();
    const oldId = first.id;
    const destroyed = fakePort({ cookie: `sid=${oldId}` });
    const session = (await manager.load(destroyed.port)).session;
    await session.destroy();
    await session.save();
    expect(destroyed.setCookie()).toHaveLength(1);
    expect(destroyed.setCookie()[0]).toMatch(/^sid=; .*Max-Age=0/);
    const again = fakePort({ cookie: `sid=${oldId}` });
    const renewed = (await manager.load(again.port)).session;
    await renewed.destroy();
    renewed.set('fresh', true);
    await renewed.save();
    expect(renewed.id).not.toBe(oldId);
    expect(again.setCookie()[0]).toContain(`sid=${renewed.id}`);
    expect(store.records.has(oldId)).toBe(false);
  });

  it('is not thenable and never shows the raw id', async () => {
    const { manager } = setup();
    const session = (await manager.load(fakePort().port)).session;
    session.set('then', 'data');
    expect(typeof (session as unknown as { then?: unknown }).then).toBe('undefined');
    expect(inspect(session)).not.toContain(session.id);
    expect(JSON.stringify(session)).not.toContain(session.id);
  });

  it("persistent cookies carry the session's remaining lifetime as Max-Age, re-sent when it is touched", async () => {
    let now = 1_000_000;
    const repository = createSessionRepository({
      store: new MapStore(),
      clock: { now: () => now },
      idleTimeoutMs: 7_200_000,
    });
    const manager = createSessionManager({
      repository,
      cookie: { persistent: true },
      touchIntervalMs: 1000,
    });
    const created = (await manager.load(fakePort().port)).session;
    created.set('a', 1);
    await created.save();
    now += 2000;
    const rolled = fakePort({ cookie: `sid=${created.id}` });
    await (await manager.load(rolled.port)).commit();
    expect(rolled.setCookie()[0]).toMatch(/Max-Age=7200/);
    const quiet = fakePort({ cookie: `sid=${created.id}` });
    await (await manager.load(quiet.port)).commit();
    expect(quiet.setCookie()).toEqual([]);
  });

  it('a failed save sends no id', async () => {
    const { manager, store } = setup();
    store.save = async () => {
      throw new Error('down');
    };
    const { port, setCookie } = fakePort();
    const handle = await manager.load(port);
    handle.session.set('a', 1);
    await expect(handle.commit()).rejects.toThrow('down');
    handle.applyHeaders();
    expect(setCookie()).toEqual([]);
  });
});

describe('commit() (adapters: no await when nothing is written)', () => {
  it('finishes at once (returns undefined) only when there is no I/O to do, and then applies the headers itself', async () => {
    const { store, manager } = setup();
    const first = fakePort();
    const creating = await manager.load(first.port);
    expect(creating.commit()).toBeUndefined(); // untouched, no id: nothing to do
    creating.session.set('a', { nested: 1 });
    const creation = creating.commit(); // a create: await it
    expect(creation).toBeInstanceOf(Promise);
    await creation;
    const cookie = first.setCookie()[0]!.split(';')[0]!;

    const reading = await manager.load(fakePort({ cookie }).port);
    expect(reading.commit()).toBeUndefined(); // read-only, within the touch interval
    const mutating = await manager.load(fakePort({ cookie }).port);
    (mutating.session.get('a') as { nested: number }).nested = 2; // an object read may be mutated in place
    const saving = mutating.commit();
    expect(saving).toBeInstanceOf(Promise);
    await saving;
    expect(store.writes).toBe(2);

    const rotating = await manager.load(fakePort({ cookie }).port);
    await rotating.session.regenerate();
    expect(rotating.commit()).toBeInstanceOf(Promise);
  });

  it('applies headers for a destroyed session (clears the cookie) without awaiting', async () => {
    const { manager } = setup();
    const first = fakePort();
    const creating = await manager.load(first.port);
    creating.session.set('a', 1);
    await creating.commit();
    const cookie = first.setCookie()[0]!.split(';')[0]!;
    const second = fakePort({ cookie });
    const session = await manager.load(second.port);
    await session.session.destroy();
    expect(session.commit()).toBeUndefined();
    expect(second.setCookie()[0]).toMatch(/^sid=; /);
  });
});

describe('id resolvers', () => {
  it('cookie: ignores oversized and foreign cookies, reads its own', async () => {
    const resolver = cookieIdResolver();
    const read = (cookie: string) => resolver.read(fakePort({ cookie }).port);
    expect(await read('other=1; sid=abc')).toBe('abc');
    expect(await read(`sid=${'a'.repeat(600)}`)).toBeUndefined();
    expect(await read('xsid=abc')).toBeUndefined();
    expect(await read('')).toBeUndefined();
  });

  it('cookie signing: signs with the first secret and verifies all of them (rotation)', async () => {
    const old = cookieIdResolver({ secrets: ['old-secret-0123456789'] });
    const rotated = cookieIdResolver({ secrets: ['new-secret-0123456789', 'old-secret-0123456789'] });
    const signedByOld = await old.encode('ID', fakePort().port);
    expect(await rotated.read(fakePort({ cookie: `sid=${signedByOld}` }).port)).toBe('ID');
    const signedByNew = await rotated.encode('ID', fakePort().port);
    expect(signedByNew).not.toBe(signedByOld);
    expect(await old.read(fakePort({ cookie: `sid=${signedByNew}` }).port)).toBeUndefined();
    expect(await rotated.read(fakePort({ cookie: 'sid=ID' }).port)).toBeUndefined();
    expect(await rotated.read(fakePort({ cookie: 'sid=ID.' }).port)).toBeUndefined();
  });

  it('header: reads and writes X-Auth-Token, clears with an empty value', async () => {
    const resolver = headerIdResolver();
    expect(await resolver.read(fakePort({ 'x-auth-token': ' abc ' }).port)).toBe('abc');
    const { port, response } = fakePort();
    resolver.write(port, 'abc', 60_000);
    expect(response.get('x-auth-token')).toEqual(['abc']);
    resolver.clear(port);
    expect(response.get('x-auth-token')).toEqual(['']);
  });

  it('composite: answers on the channel the request used, else the first', () => {
    const resolver = compositeIdResolver([cookieIdResolver(), headerIdResolver()]);
    const api = fakePort({ 'x-auth-token': '' });
    resolver.write(api.port, 'id', 60_000);
    expect(api.response.get('x-auth-token')).toEqual(['id']);
    expect(api.setCookie()).toEqual([]);
    const browser = fakePort();
    resolver.write(browser.port, 'id', 60_000);
    expect(browser.setCookie()).toHaveLength(1);
  });
});

describe('cookie options', () => {
  it('enforces the __Host- and __Secure- prefix rules and other invariants at startup', () => {
    expect(() => resolveCookieOptions({ name: '__Host-sid' })).toThrow(/secure: true/);
    expect(() => resolveCookieOptions({ name: '__Host-sid', secure: true, domain: 'example.com' })).toThrow(
      /domain/,
    );
    expect(() => resolveCookieOptions({ name: '__Host-sid', secure: true, path: '/app' })).toThrow(/path/);
    expect(() => resolveCookieOptions({ name: '__Secure-sid', secure: 'auto' })).toThrow(/secure: true/);
    expect(() => resolveCookieOptions({ sameSite: 'none' })).toThrow(/secure/);
    expect(() => resolveCookieOptions({ partitioned: true })).toThrow(/secure/);
    expect(() => resolveCookieOptions({ name: 'bad name' })).toThrow(/cookie name/);
    expect(() => resolveCookieOptions({ secrets: ['short'] })).toThrow(/16 characters/);
    // @ts-expect-error removed option: the cookie's lifetime follows the session's
    expect(() => resolveCookieOptions({ maxAgeMs: 3_600_000 })).toThrow(
      /maxAgeMs would give the cookie a lifetime/,
    );
    expect(resolveCookieOptions({ name: '__Host-sid', secure: true }).name).toBe('__Host-sid');
  });
});

describe('after a failed save', () => {
  it('later saves in the same request neither write nor send an id', async () => {
    const { manager, store } = setup();
    const save = store.save.bind(store);
    store.save = async () => {
      throw new Error('down');
    };
    const { port, setCookie } = fakePort();
    const session = (await manager.load(port)).session;
    session.set('a', 1);
    await expect(session.save()).rejects.toThrow('down');
    store.save = save;
    await session.save();
    expect(store.records.size).toBe(0);
    expect(setCookie()).toEqual([]);
  });
});
