import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { type AdapterConformanceOptions, storeDown, useFixture } from './adapter-options.js';

export function failureSuite(kit: AdapterConformanceOptions): void {
  const it = kitCheck(kit);
  describe('store failures', () => {
    const f = useFixture(kit);

    it("a failing store reaches the framework's error handling as a typed error, without leaking the id", async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      f.store.failWith(storeDown());
      try {
        const read = await client.get('/get?k=a');
        expect(read.status).toBe(503);
        expect(JSON.parse(read.body)).toEqual({ code: 'STORE_UNAVAILABLE' });
        expect(read.body).not.toContain(client.token!);
        const fresh = await f.client().get('/set?k=b&v=1'); // a save that fails
        expect(fresh.status).toBe(503);
        expect(fresh.setCookies).toEqual([]);
      } finally {
        f.store.failWith(null);
      }
      expect((await client.get('/get?k=a')).body).toBe('"1"'); // recovers with the store
    });
  });
}
