import { describe, expect } from 'vitest';
import { kitCheck } from '../kit-check.js';
import { type AdapterConformanceOptions, useFixture } from './adapter-options.js';

export function lifecycleSuite(kit: AdapterConformanceOptions): void {
  const it = kitCheck(kit);
  describe('login, logout, rotation', () => {
    const f = useFixture(kit);

    it('/login rotates the id, keeps the data, and the old id no longer works', async () => {
      const client = f.client();
      await client.get('/set?k=cart&v=3');
      const before = client.token!;
      const attacker = f.client(); // holds the pre-login id (session fixation)
      attacker.token = before;
      const res = await client.get('/login?user=alice');
      expect(res.status).toBe(200);
      expect(res.setCookies).toHaveLength(1);
      expect(client.token).not.toBe(before);
      expect(JSON.parse((await client.get('/me')).body)).toEqual({ user: 'alice' });
      expect((await client.get('/get?k=cart')).body).toBe('"3"');
      expect((await attacker.get('/me')).status).toBe(401);
      expect((await attacker.get('/get?k=cart')).body).toBe('null');
    });

    it('/logout destroys the session and clears the cookie', async () => {
      const client = f.client();
      await client.get('/login?user=bob');
      const id = client.token!;
      const res = await client.get('/logout');
      expect(res.status).toBe(200);
      expect(res.setCookies).toHaveLength(1);
      expect(res.setCookies[0]).toMatch(/^sid=;/);
      expect(res.setCookies[0]).toMatch(/Expires=Thu, 01 Jan 1970/);
      expect(client.token).toBeUndefined();
      const replay = f.client();
      replay.token = id;
      expect((await replay.get('/me')).status).toBe(401);
    });

    it("/sessions lists the principal's sessions through the index, ids masked", async () => {
      const user = `carol-${Math.random().toString(36).slice(2)}`;
      const laptop = f.client();
      const phone = f.client();
      await laptop.get(`/login?user=${user}`);
      await phone.get(`/login?user=${user}`);
      const res = await laptop.get('/sessions');
      const list = JSON.parse(res.body) as string[];
      expect(list).toHaveLength(2);
      for (const masked of list) expect(masked).not.toContain(laptop.token!.slice(0, 12));
      expect((await f.client().get('/sessions')).status).toBe(401);
    });

    it('a session destroyed while another request on it is in flight stays destroyed', async () => {
      const client = f.client();
      await client.get('/login?user=dave');
      const id = client.token!;
      const slowTab = client.clone();
      const slow = slowTab.get('/slow-set?k=late&v=1&ms=150');
      await new Promise((r) => setTimeout(r, 30));
      await client.get('/logout');
      const late = await slow;
      expect(late.status).toBe(200);
      expect(late.setCookies).toEqual([]);
      const replay = f.client();
      replay.token = id;
      expect((await replay.get('/me')).status).toBe(401);
      expect((await replay.get('/get?k=late')).body).toBe('null');
      expect(await f.repository.findById(id)).toBeNull();
    });

    it('a session rotated while another request on it is in flight: the old id never comes back', async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      const oldId = client.token!;
      const slowTab = client.clone();
      const slow = slowTab.get('/slow-set?k=late&v=1&ms=150');
      await new Promise((r) => setTimeout(r, 30));
      await client.get('/login?user=erin');
      await slow;
      expect(await f.repository.findById(oldId)).toBeNull();
      expect((await client.get('/get?k=a')).body).toBe('"1"');
    });
  });

  describe('forbidding session creation on a route', () => {
    const f = useFixture(kit);

    it('refuses to create a session there (typed error, 403 from the fixture) and stores nothing', async () => {
      f.store.reset();
      const res = await f.client().get('/nocreate/set?k=a&v=1');
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual({ code: 'CREATION_FORBIDDEN' });
      expect(res.setCookies).toEqual([]);
      expect(f.store.writes()).toBe(0);
    });

    it('still lets an existing session be used there', async () => {
      const client = f.client();
      await client.get('/set?k=a&v=1');
      expect((await client.get('/nocreate/set?k=b&v=2')).status).toBe(200);
      expect((await client.get('/get?k=b')).body).toBe('"2"');
    });
  });
}
