import { RedisStore } from '@sess/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `sess-test:cookie-deny:${process.pid}-${Date.now().toString(36)}:`;

// The deny-list on a real Redis: the hashed, id-shaped keys are accepted by a server store, entries
// carry their own end of life, and a replayed cookie is refused across two app instances sharing it.
describe('deny-list on Redis (@sess/redis)', () => {
  const client = new Redis(REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });

  afterAll(async () => {
    if (client.status === 'ready') {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
    }
    client.disconnect();
  });

  it('logout, login and revokePrincipal on one instance are refused on another; entries carry their end of life', async () => {
    try {
      await client.connect();
    } catch (error) {
      if (process.env.CI) throw error;
      console.warn(`Redis at ${REDIS_URL} unreachable: skipping`);
      return;
    }
    const denyList = new RedisStore({ client, prefix });
    const a = testApp({ denyList });
    const b = testApp({ denyList });
    const login = await a.get('/login?user=grace');
    expect((await b.get('/me', login.token!)).status).toBe(200);
    await a.get('/logout', login.token!);
    expect((await b.get('/me', login.token!)).status, 'after logout').toBe(401);

    const phone = await b.get('/login?user=heidi');
    // Each test app has its own frozen clock: revoke at a time after b issued the phone's session.
    a.clock.set(b.clock.now() + 5);
    await a.cookies.revokePrincipal('heidi');
    expect((await b.get('/me', phone.token!)).status, 'after revoke').toBe(401);

    // Entries are ordinary sessions to the store, each with its own end of life (none kept forever).
    const ids = (await client.keys(`${prefix}*:s:*`)).map((key) => key.slice(key.lastIndexOf(':') + 1));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const now = Date.now();
    for (const id of ids) {
      const entry = await denyList.load(id);
      expect(entry?.expiresAt).toBeGreaterThan(now);
      expect(entry?.expiresAt).toBeLessThanOrEqual(now + 401 * 24 * 3600 * 1000);
    }
    await denyList.close();
  });
});
