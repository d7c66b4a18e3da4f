import {
  createSessionManager,
  createSessionRepository,
  SessionConfigError,
  StoreUnavailableError,
} from '@sess/core';
import { fromBase64url, toBase64url } from '@sess/core/store';
import { MemoryStore } from '@sess/memory';
import { describe, expect, it } from 'vitest';
import { CookieTooLargeError, cookieSessions } from '../src/index.js';
import { SECRET_A, SECRET_B, testApp } from './helpers.js';

describe('sealed cookie sessions', () => {
  it('keeps the session in the cookie: written, read back, never readable in clear', async () => {
    const app = testApp();
    const first = await app.get('/set?k=color&v=blue-and-secret');
    expect(first.status).toBe(200);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.setCookies[0]).toMatch(/; HttpOnly/);
    expect(first.token).not.toContain('blue');
    expect(
      atob(
        first
          .token!.replace(/-/g, '+')
          .replace(/_/g, '/')
          .padEnd(Math.ceil(first.token!.length / 4) * 4, '='),
      ),
    ).not.toContain('blue');
    expect((await app.get('/get?k=color', first.token!)).body).toBe('"blue-and-secret"');
  });

  it('issues a secure-by-default browser-session cookie with a no-store Cache-Control', async () => {
    const app = testApp();
    const res = await app.get('/set?k=a&v=1');
    const cookie = res.setCookies[0]!;
    expect(res.setCookies).toHaveLength(1);
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i); // plain HTTP here; "auto" sets it on HTTPS
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    expect(res.cacheControl).toMatch(/no-store|private/);
  });

  it('hostile cookies give a fresh session, never an error', async () => {
    const app = testApp();
    const valid = (await app.get('/set?k=secret&v=mine')).token!;
    const hostile = [
      'garbage',
      'A'.repeat(8 * 1024),
      `${valid}x`,
      `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`,
      'A'.repeat(43),
      '%E0%A4%A',
      '',
      '../../etc/passwd',
      `${valid}*`,
      `"${valid}x"`,
      '<script>alert(1)</script>',
    ];
    for (const token of hostile) {
      const read = await app.get('/get?k=secret', token);
      expect(read.status, token.slice(0, 40)).toBe(200);
      expect(read.body).toBe('null');
      const write = await app.get('/set?k=x&v=1', token);
      expect(write.status).toBe(200);
      expect(write.token).toBeTruthy();
      expect(write.token).not.toBe(valid);
      expect((await app.get('/get?k=secret', write.token!)).body).toBe('null');
    }
  });

  it('re-sends the cookie on every save (rolling), and not on a read inside the touch interval', async () => {
    const app = testApp();
    const one = await app.get('/set?k=a&v=1');
    const two = await app.get('/set?k=b&v=2', one.token!);
    expect(two.token).toBeTruthy();
    expect(two.token).not.toBe(one.token);
    const read = await app.get('/get?k=a', two.token!);
    expect(read.body).toBe('"1"');
    expect(read.setCookies).toEqual([]);
    expect((await app.get('/get?k=b', two.token!)).body).toBe('"2"');
  });

  it('renews the idle expiry at most once per touch interval, by re-sealing', async () => {
    const app = testApp({}, { idleTimeoutMs: 10 * 60_000, touchIntervalMs: 60_000 });
    const { token } = await app.get('/set?k=a&v=1');
    app.clock.advance(30_000);
    expect((await app.get('/get?k=a', token!)).setCookies).toEqual([]);
    app.clock.advance(40_000);
    const touched = await app.get('/get?k=a', token!);
    expect(touched.token).toBeTruthy();
    // The old cookie dies at its own sealed idle expiry; the renewed one lives on.
    app.clock.advance(10 * 60_000 - 65_000);
    expect((await app.get('/get?k=a', token!)).body).toBe('null');
    expect((await app.get('/get?k=a', touched.token!)).body).toBe('"1"');
  });

  it('a second save in one request sends a cookie with both saves in it', async () => {
    const app = testApp();
    const { token, setCookies } = await app.get('/save-twice');
    expect(setCookies.length).toBeGreaterThanOrEqual(1);
    expect((await app.get('/get?k=first', token!)).body).toBe('"1"');
    expect((await app.get('/get?k=second', token!)).body).toBe('"2"');
  });

  it('flipping any byte of the cookie gives a fresh session', async () => {
    const app = testApp();
    const { token } = await app.get('/set?k=secret&v=mine');
    const bytes = fromBase64url(token!)!;
    for (let i = 0; i < bytes.length; i++) {
      const tampered = bytes.slice();
      tampered[i] = tampered[i]! ^ 0x01;
      const read = await app.get('/get?k=secret', toBase64url(tampered));
      expect(read.status, `byte ${i}`).toBe(200);
      expect(read.body, `byte ${i}`).toBe('null');
    }
    // A truncated or extended token, or one from another cookie name, is refused as well.
    expect((await app.get('/get?k=secret', token!.slice(0, -2))).body).toBe('null');
    expect((await app.get('/get?k=secret', `${token}AA`)).body).toBe('null');
    const written = await app.get(
      '/set?k=x&v=1',
      toBase64url(bytes.map((b, i) => (i === 20 ? b ^ 0x80 : b))),
    );
    expect((await app.get('/get?k=secret', written.token!)).body).toBe('null');
  });

  it('a cookie sealed for another cookie name does not open under this one', async () => {
    const a = testApp();
    const b = testApp({ cookie: { name: 'other' } });
    const { token } = await a.get('/set?k=a&v=1');
    const res = await b.cookies.idResolver.read({
      getRequestHeader: (name) => (name === 'cookie' ? `other=${token}` : undefined),
      isSecure: () => false,
      getResponseHeader: () => undefined,
      setResponseHeader: () => undefined,
      appendResponseHeader: () => undefined,
    });
    expect(res).toBeUndefined();
  });

  it('refuses a cookie past its sealed idle or absolute expiry', async () => {
    const idle = testApp({}, { idleTimeoutMs: 60_000 });
    const one = await idle.get('/set?k=a&v=1');
    idle.clock.advance(60_000);
    expect((await idle.get('/get?k=a', one.token!)).body).toBe('null');

    const absolute = testApp({}, { idleTimeoutMs: 60_000, absoluteTimeoutMs: 90_000, touchIntervalMs: 0 });
    let { token } = await absolute.get('/set?k=a&v=1');
    for (let i = 0; i < 4; i++) {
      absolute.clock.advance(20_000);
      const res = await absolute.get('/get?k=a', token!);
      expect(res.body).toBe('"1"');
      token = res.token ?? token;
    }
    absolute.clock.advance(10_000);
    expect((await absolute.get('/get?k=a', token!)).body).toBe('null');
  });

  it('rotating secrets keeps existing sessions readable and seals new ones with the new key', async () => {
    const clockless = { idleTimeoutMs: 30 * 60_000 };
    const before = testApp({ secrets: [SECRET_A] }, clockless);
    const old = await before.get('/set?k=a&v=1');
    const rotated = testApp({ secrets: [SECRET_B, SECRET_A] }, clockless);
    expect((await rotated.get('/get?k=a', old.token!)).body).toBe('"1"');
    const resealed = await rotated.get('/set?k=b&v=2', old.token!);
    const fresh = await rotated.get('/set?k=c&v=3');
    const onlyNew = testApp({ secrets: [SECRET_B] }, clockless);
    const onlyOld = testApp({ secrets: [SECRET_A] }, clockless);
    for (const token of [resealed.token!, fresh.token!]) {
      expect((await onlyNew.get('/me', token)).status).toBe(401);
      expect((await onlyOld.get('/get?k=a', token)).body).toBe('null');
    }
    expect((await onlyNew.get('/get?k=a', resealed.token!)).body).toBe('"1"');
    expect((await onlyNew.get('/get?k=c', fresh.token!)).body).toBe('"3"');
    expect((await onlyNew.get('/get?k=a', old.token!)).body).toBe('null'); // the retired secret no longer opens
  });

  it('two concurrent requests with the same cookie keep their own state', async () => {
    const app = testApp();
    const { token } = await app.get('/set?k=seed&v=0');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => app.get(`/set?k=attr${i}&v=${i}`, token!)),
    );
    for (const [i, res] of results.entries()) {
      expect((await app.get(`/get?k=attr${i}`, res.token!)).body).toBe(`"${i}"`);
      expect((await app.get(`/get?k=seed`, res.token!)).body).toBe('"0"');
      const other = (i + 1) % 20;
      expect((await app.get(`/get?k=attr${other}`, res.token!)).body).toBe('null');
    }
  });
});

describe('size limit', () => {
  it('refuses at save, with CookieTooLargeError, a session that seals past the limit; no cookie is sent', async () => {
    const app = testApp();
    const error = await app.get(`/set?k=big&v=${'x'.repeat(4000)}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CookieTooLargeError);
    expect((error as CookieTooLargeError).code).toBe('ENCODE');
    expect((error as CookieTooLargeError).size).toBeGreaterThan(4096);
    expect((error as CookieTooLargeError).limit).toBe(4096);
    const ok = await app.get(`/set?k=big&v=${'x'.repeat(2500)}`);
    expect(ok.setCookies[0]!.length).toBeLessThanOrEqual(4096);
    // An update that would grow past the limit fails too; the cookie the client holds still works.
    const grown = await app.get(`/set?k=more&v=${'y'.repeat(2000)}`, ok.token!).catch((e: unknown) => e);
    expect(grown).toBeInstanceOf(CookieTooLargeError);
    expect((await app.get('/get?k=big', ok.token!)).body).toBe(JSON.stringify('x'.repeat(2500)));
  });

  it('counts the whole Set-Cookie line, attributes included, against maxCookieBytes', async () => {
    const app = testApp({ maxCookieBytes: 1024, cookie: { name: 'sid', domain: 'example.com' } });
    const error = await app.get(`/set?k=v&v=${'z'.repeat(800)}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CookieTooLargeError);
    const fits = await app.get(`/set?k=v&v=${'z'.repeat(450)}`);
    expect(new TextEncoder().encode(fits.setCookies[0]!).length).toBeLessThanOrEqual(1024);
  });
});

describe('revocation with a deny-list', () => {
  const withDenyList = () => {
    const denyStore = new MemoryStore();
    const app = testApp({ denyList: denyStore });
    return { app, denyStore };
  };

  it('a logged-out cookie replayed later is refused', async () => {
    const { app } = withDenyList();
    const login = await app.get('/login?user=alice');
    const copy = login.token!;
    expect((await app.get('/me', copy)).status).toBe(200);
    const out = await app.get('/logout', copy);
    expect(out.token).toBeNull();
    expect((await app.get('/me', copy)).status).toBe(401);
    app.clock.advance(10 * 60_000);
    expect((await app.get('/me', copy)).status).toBe(401);
  });

  it('login refuses the pre-login cookie (its id was replaced)', async () => {
    const { app } = withDenyList();
    const anon = await app.get('/set?k=cart&v=3');
    const login = await app.get('/login?user=bob', anon.token!);
    expect((await app.get('/get?k=cart', login.token!)).body).toBe('"3"');
    expect((await app.get('/get?k=cart', anon.token!)).body).toBe('null');
  });

  it('revokePrincipal refuses every older cookie of the user; a later login works', async () => {
    const { app } = withDenyList();
    const laptop = await app.get('/login?user=carol');
    const phone = await app.get('/login?user=carol');
    const other = await app.get('/login?user=dan');
    app.clock.advance(5);
    await app.cookies.revokePrincipal('carol');
    expect((await app.get('/me', laptop.token!)).status).toBe(401);
    expect((await app.get('/me', phone.token!)).status).toBe(401);
    expect((await app.get('/me', other.token!)).status).toBe(200);
    app.clock.advance(5);
    const again = await app.get('/login?user=carol');
    expect((await app.get('/me', again.token!)).status).toBe(200);
  });

  it('a save racing a logout of the same session does not bring it back', async () => {
    const { app } = withDenyList();
    const login = await app.get('/login?user=erin');
    const manager = createSessionManager({ repository: app.repository, idResolver: app.cookies.idResolver });
    const headers = new Headers();
    const port = {
      getRequestHeader: (name: string) => (name === 'cookie' ? `sid=${login.token}` : undefined),
      isSecure: () => false,
      getResponseHeader: (name: string) => headers.get(name) ?? undefined,
      setResponseHeader: (name: string, value: string) => headers.set(name, value),
      appendResponseHeader: (name: string, value: string) => headers.append(name, value),
    };
    const slow = await manager.load(port);
    await app.get('/logout', login.token!);
    slow.session.set('late', '1');
    await slow.commit();
    expect(slow.outcome).toBe('gone');
    expect(headers.getSetCookie()).toEqual([]);
  });

  it('an unreachable deny-list fails the request with a typed error instead of admitting the cookie', async () => {
    const failing = new MemoryStore();
    const app = testApp({ denyList: failing });
    const { token } = await app.get('/login?user=frank');
    failing.load = () => Promise.reject(new StoreUnavailableError('deny-list down'));
    await expect(app.get('/me', token!)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('without a deny-list (stateless)', () => {
  it('a logged-out cookie stays valid until it expires, as documented', async () => {
    const app = testApp();
    const login = await app.get('/login?user=alice');
    await app.get('/logout', login.token!);
    expect((await app.get('/me', login.token!)).status).toBe(200);
    await expect(app.cookies.revokePrincipal('alice')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('declares what it cannot do by leaving the methods out', () => {
    const { store } = cookieSessions({ secrets: [SECRET_A] });
    expect(store.findByPrincipal).toBeUndefined();
    expect(store.subscribe).toBeUndefined();
    expect(store.cleanupExpired).toBeUndefined();
    const repository = createSessionRepository({ store });
    return expect(repository.findByPrincipal('x')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('configuration', () => {
  it('refuses bad options at startup with SessionConfigError', () => {
    const bad: unknown[] = [
      { secrets: [] },
      { secrets: ['too-short'] },
      { secrets: [SECRET_A], cookie: { secrets: [SECRET_A] } },
      { secrets: [SECRET_A], maxCookieBytes: 9000 },
      { secrets: [SECRET_A], cookie: { name: 'bad name' } },
      { secrets: [SECRET_A], denyList: {} },
    ];
    for (const options of bad) {
      expect(() => cookieSessions(options as never), JSON.stringify(options)).toThrow(SessionConfigError);
    }
  });

  it('encoding a session no save sealed yet (a headers hook before the save) is an async, handled failure', async () => {
    const { idResolver } = cookieSessions({ secrets: [SECRET_A] });
    const port = {
      getRequestHeader: () => undefined,
      isSecure: () => false,
      getResponseHeader: () => undefined,
      setResponseHeader: () => undefined,
      appendResponseHeader: () => undefined,
    };
    const encoded = idResolver.encode('A'.repeat(43), port);
    expect(typeof encoded).not.toBe('string');
    await expect(encoded).rejects.toMatchObject({ code: 'ENCODE' });
  });

  it('refuses rolling: false, which would leave saved changes out of the cookie', () => {
    const { store, idResolver } = cookieSessions({ secrets: [SECRET_A] });
    const repository = createSessionRepository({ store });
    expect(() => createSessionManager({ repository, idResolver, rolling: false })).toThrow(
      SessionConfigError,
    );
  });
});
