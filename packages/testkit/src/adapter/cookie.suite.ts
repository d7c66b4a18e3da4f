import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { type AdapterConformanceOptions, useFixture } from './adapter-options.js';

export function cookieSuite(kit: AdapterConformanceOptions): void {
  const it = kitCheck(kit);
  describe('cookies', () => {
    const f = useFixture(kit);

    it('a request without a cookie that writes nothing gets no Set-Cookie and causes no store I/O', async () => {
      f.store.reset();
      const client = f.client();
      for (const path of ['/', '/read', '/get?k=a', '/me']) {
        const res = await client.get(path);
        expect(res.status).toBeLessThan(500);
        expect(res.setCookies).toEqual([]);
      }
      expect(f.store.calls.load + f.store.writes()).toBe(0);
    });

    it('a first write issues a secure-by-default cookie and a no-store Cache-Control', async () => {
      const client = f.client();
      const res = await client.get('/set?k=a&v=1');
      expect(res.status).toBe(200);
      expect(res.setCookies).toHaveLength(1);
      const cookie = res.setCookies[0]!;
      expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Secure/i); // plain HTTP here; "auto" sets it on HTTPS
      expect(cookie).not.toMatch(/Max-Age|Expires/i); // browser-session cookie by default
      expect(res.headers.get('cache-control')).toMatch(/no-store|private/);
      expect((await client.get('/get?k=a')).body).toBe('"1"');
    });

    it('reading an unchanged session sends no Set-Cookie and writes nothing to the store', async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      f.store.reset();
      for (let i = 0; i < 3; i++) {
        const res = await client.get('/read');
        expect(res.status).toBe(200);
        expect(res.setCookies).toEqual([]);
      }
      expect(f.store.calls.load).toBe(3);
      expect(f.store.writes()).toBe(0);
    });

    it('a write to an existing session saves only, without re-sending the cookie', async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      f.store.reset();
      const res = await client.get('/set?k=b&v=2');
      expect(res.setCookies).toEqual([]);
      expect(f.store.calls.save).toBe(1);
    });

    it('a redirect carries the cookie and the session is saved before the client follows it', async () => {
      const client = f.client();
      const res = await client.get('/redirect');
      expect([301, 302, 303, 307]).toContain(res.status);
      expect(res.setCookies).toHaveLength(1);
      expect((await client.get('/get?k=redirected')).body).toBe('true');
    });

    it('a streamed response carries the cookie and the session is saved', async () => {
      const client = f.client();
      const res = await client.get('/stream');
      expect(res.body).toBe('ab');
      expect(res.setCookies).toHaveLength(1);
      expect((await client.get('/get?k=streamed')).body).toBe('true');
    });

    it('hostile cookies give a fresh session, never a 5xx', async () => {
      const valid = f.client();
      await valid.get('/set?k=secret&v=mine');
      const hostile = [
        'sid=garbage',
        `sid=${'A'.repeat(8 * 1024)}`,
        `${'x'.repeat(8 * 1024)}=y; sid=${valid.token}x`,
        `sid=${valid.token!.slice(0, -1)}${valid.token!.endsWith('A') ? 'B' : 'A'}`, // tampered
        `sid=${'A'.repeat(43)}`, // well-formed but never issued
        'sid=%E0%A4%A',
        'sid=',
        'sid',
        '=; ;;; sid==x==',
        'sid=../../etc/passwd',
        `sid=${valid.token}*`,
        `sid="${valid.token}x"`,
        'sid=<script>alert(1)</script>; sid=\\u0000',
      ];
      for (const cookie of hostile) {
        const client = f.client();
        const read = await client.get('/get?k=secret', { cookie });
        expect(read.status, cookie.slice(0, 40)).toBe(200);
        expect(read.body).toBe('null');
        const write = await client.get('/set?k=x&v=1', { cookie });
        expect(write.status).toBe(200);
        expect(client.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(client.token).not.toBe(valid.token);
      }
    });
  });

  describe("persistent cookie: its lifetime is the session's", () => {
    const f = useFixture(kit, { cookie: { persistent: true }, idleTimeoutMs: 3_600_000, touchIntervalMs: 0 });

    it("re-sends the cookie with the session's remaining lifetime whenever it is touched or saved", async () => {
      const client = f.client();
      const first = await client.get('/set?k=a&v=1');
      expect(first.setCookies[0]).toMatch(/Max-Age=3600/);
      await new Promise((r) => setTimeout(r, 5));
      const read = await client.get('/read');
      expect(read.setCookies).toHaveLength(1);
      expect(read.setCookies[0]).toMatch(/Max-Age=3600/);
      expect(read.setCookies[0]).toContain(client.token);
    });
  });

  describe('signed cookies', () => {
    const f = useFixture(kit, {
      cookie: { secrets: ['a-new-secret-of-32-characters!!', 'an-old-secret-still-accepted'] },
    });

    it('signs the id and rejects a forged signature', async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      expect(client.token).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
      expect((await client.get('/get?k=a')).body).toBe('"1"');
      const [id] = client.token!.split('.');
      const forged = await f.client().get('/get?k=a', { cookie: `sid=${id}.${'A'.repeat(43)}` });
      expect(forged.status).toBe(200);
      expect(forged.body).toBe('null');
      const unsigned = await f.client().get('/get?k=a', { cookie: `sid=${id}` });
      expect(unsigned.body).toBe('null');
    });
  });
}
