import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { type AdapterConformanceOptions, useFixture } from './adapter-options.js';

/**
 * One lifecycle rule for every adapter (docs/concepts.md, "When a handler throws"): the session is
 * committed in `finally`, as Spring Session's filter does. What a handler changed on the client's
 * session before it threw is saved; the handler's error still reaches the framework's error handling.
 */
export function handlerErrorSuite(kit: AdapterConformanceOptions): void {
  const it = kitCheck(kit);
  describe('a handler that throws', () => {
    const f = useFixture(kit);

    it('reaches the error handler, and what it set on the session before throwing is saved', async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      const failed = await client.get('/set-then-throw?k=b&v=2');
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.body)).toEqual({ code: 'UNEXPECTED' });
      expect((await client.get('/get?k=b')).body).toBe('"2"');
      expect((await client.get('/get?k=a')).body).toBe('"1"');
    });

    it('leaves the client with a working session when it throws after regenerate()', async () => {
      const client = f.client();
      await client.get('/set?k=cart&v=3');
      const failed = await client.get('/login-then-throw?user=erin');
      expect(failed.status).toBe(500);
      // The id the client now holds (the new one, if the error response carried it; else the old
      // one, then never rotated) still finds the session and its data.
      expect((await client.get('/get?k=cart')).body).toBe('"3"');
    });
  });
}
