import { compositeIdResolver, cookieIdResolver, headerIdResolver } from '@sess/core';
import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { type AdapterConformanceOptions, useFixture } from './adapter-options.js';

export function headerSuite(kit: AdapterConformanceOptions): void {
  const it = kitCheck(kit);
  describe('header-based ids (X-Auth-Token)', () => {
    const f = useFixture(kit, { idResolver: headerIdResolver() });

    it('hands out the id in the header, never a cookie, and reads it back', async () => {
      const client = f.client({ header: 'x-auth-token' });
      const res = await client.get('/set?k=a&v=1');
      expect(res.setCookies).toEqual([]);
      expect(res.headers.get('x-auth-token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(res.headers.get('cache-control')).toMatch(/no-store|private/);
      const read = await client.get('/get?k=a');
      expect(read.body).toBe('"1"');
      expect(read.headers.get('x-auth-token')).toBeNull(); // unchanged: nothing re-sent
    });

    it('rotates and clears through the header', async () => {
      const client = f.client({ header: 'x-auth-token' });
      await client.get('/set?k=a&v=1');
      const first = client.token;
      await client.get('/login?user=rest');
      expect(client.token).not.toBe(first);
      const out = await client.get('/logout');
      expect(out.headers.get('x-auth-token')).toBe('');
    });
  });

  describe('composite ids (header for API clients, cookie for browsers)', () => {
    const f = useFixture(kit, { idResolver: compositeIdResolver([cookieIdResolver(), headerIdResolver()]) });

    it('answers each client on the channel it used (API clients opt in with an empty header)', async () => {
      const api = f.client({ header: 'x-auth-token' });
      const apiRes = await api.get('/set?k=a&v=1', { headers: { 'x-auth-token': '' } });
      expect(apiRes.headers.get('x-auth-token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(apiRes.setCookies).toEqual([]);
      const browser = f.client();
      const browserRes = await browser.get('/set?k=a&v=2');
      expect(browserRes.setCookies).toHaveLength(1);
      expect(browserRes.headers.get('x-auth-token')).toBeNull();
      expect((await api.get('/get?k=a')).body).toBe('"1"');
      expect((await browser.get('/get?k=a')).body).toBe('"2"');
    });
  });
}
