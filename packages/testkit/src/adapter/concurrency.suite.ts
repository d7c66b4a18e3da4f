import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { type AdapterConformanceOptions, useFixture } from './adapter-options.js';

export function concurrencySuite(kit: AdapterConformanceOptions): void {
  const it = kitCheck(kit);
  describe('concurrent requests on one session', () => {
    const f = useFixture(kit);

    it('50 concurrent requests each setting a different attribute leave all 50', async () => {
      const client = f.client();
      await client.get('/set?k=seed&v=0');
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.clone().get(`/set?k=attr${i}&v=${i}`)),
      );
      for (const res of responses) expect(res.status).toBe(200);
      const session = (await f.repository.findById(client.token!.split('.')[0]!))!;
      for (let i = 0; i < 50; i++) expect(session.get(`attr${i}`)).toBe(String(i));
      expect(session.get('seed')).toBe('0');
    });

    it('50 concurrent increments of one counter through one instance: none is lost', async () => {
      const client = f.client();
      await client.get('/inc');
      // Every store call waits a timer, as over a network, so the 50 requests overlap in the store too.
      f.store.delay(1);
      let responses: Awaited<ReturnType<typeof client.get>>[];
      try {
        responses = await Promise.all(Array.from({ length: 50 }, () => client.clone().get('/inc')));
      } finally {
        f.store.delay(0);
      }
      const seen = responses.map((r) => Number(r.body));
      // Requests of one process share one live session (core's liveSessions), so each read-modify-write
      // sees the one before it: the 50 responses count 2..51 and the stored value is 51.
      expect(new Set(seen).size).toBe(50);
      for (const value of seen) expect(value).toBeGreaterThanOrEqual(2);
      const final = Number((await client.get('/get?k=count')).body);
      expect(final).toBe(51);
    });

    it('two new sessions created at once never share an id', async () => {
      const responses = await Promise.all(Array.from({ length: 50 }, () => f.client().get('/set?k=a&v=1')));
      const ids = responses.map((r) => r.setCookies[0]!.split(';')[0]);
      expect(new Set(ids).size).toBe(50);
    });
  });
}
