/**
 * The app of src/app.ts over a HazelcastStore on the IN-PROCESS IMAP DOUBLE of @sess/hazelcast
 * (packages/hazelcast/test/double, semantics in its SEMANTICS.md), driven over real HTTP. It is NOT a
 * Hazelcast cluster: it proves the routes and the store wiring in CI, where no member can run.
 * src/server.ts (the real client, startup and shutdown) is covered by startup-refusal.test.ts and, with
 * a cluster, by route-contract.live.test.ts.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionRepository, type SessionRepository } from '@sess/core';
import { HazelcastStore } from '@sess/hazelcast';
import { FixtureClient } from '@sess/testkit';
import { ClientOfflineError } from 'hazelcast-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only, by relative path: the double is not part of @sess/hazelcast's published API.
import { FakeCluster } from '../../../packages/hazelcast/test/double/fake-hazelcast.js';
import { type AppSession, createApp } from '../src/app.js';

const mapName = 'sess-example-koa';
const idleTimeoutMs = 30 * 60_000;

describe('src/app.ts on the in-process IMap double (not a cluster): the route contract over HTTP', () => {
  const cluster = new FakeCluster();
  // The client settings src/server.ts uses: JSON values are read as raw text.
  const client = cluster.newClient({ jsonStringDeserializationPolicy: 'NO_DESERIALIZATION' });
  let repository: SessionRepository<AppSession>;
  let server: Server;
  let url = '';
  const browser = () => new FixtureClient(url, { cookieName: 'sid' });
  const stored = (id: string) => cluster.peek(mapName, id);

  beforeAll(async () => {
    repository = createSessionRepository<AppSession>({
      store: new HazelcastStore({ client, mapName, operationTimeoutMs: 500 }),
      idleTimeoutMs,
      absoluteTimeoutMs: 8 * 60 * 60_000,
    });
    server = createApp(repository, 'Hazelcast store (in-process test double)').listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await repository.close();
    cluster.shutdown();
  });

  it('serves a page naming the adapter and store; anonymous reads create nothing', async () => {
    const anonymous = browser();
    const page = await anonymous.get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('Koa + Hazelcast store (in-process test double)');
    expect((await anonymous.get('/me')).status).toBe(401);
    expect((await anonymous.get('/sessions')).status).toBe(401);
    const read = await anonymous.get('/get?k=missing');
    expect([read.status, read.body]).toEqual([200, 'null']);
    expect(read.setCookies).toEqual([]);
    expect(cluster.entries(mapName).size).toBe(0);
  });

  it('counts, sets and gets in a session stored as one IMap entry with a TTL from its expiry', async () => {
    const tab = browser();
    expect((await tab.get('/inc')).body).toBe('1');
    expect((await tab.get('/inc')).body).toBe('2');
    expect((await tab.get('/set?k=color&v=blue')).status).toBe(200);
    const color = await tab.get('/get?k=color');
    expect([color.status, color.headers.get('content-type'), color.body]).toEqual([
      200,
      'application/json; charset=utf-8',
      '"blue"',
    ]);
    expect((await tab.get('/set?v=x')).status).toBe(400);

    const entry = stored(tab.token!);
    expect(entry?.value.kind).toBe('json');
    const document = JSON.parse(entry?.value.kind === 'json' ? entry.value.text : '{}');
    expect(document).toMatchObject({ principal: null, attributes: { count: '2', color: '"blue"' } });
    // Members evict it themselves: the TTL is the idle timeout (Hazelcast rounds up to whole seconds).
    expect(entry?.ttlMs).toBeGreaterThan(idleTimeoutMs - 5000);
    expect(entry?.ttlMs).toBeLessThanOrEqual(idleTimeoutMs + 1000);
  });

  it('login rotates the id and indexes the session; /sessions lists masked ids; logout removes it', async () => {
    const laptop = browser();
    const phone = browser();
    await laptop.get('/set?k=cart&v=3');
    const anonymousId = laptop.token!;

    expect(await laptop.get('/login?user=alice')).toMatchObject({ status: 200, body: 'logged in as alice' });
    expect((await laptop.get('/login')).status).toBe(400);
    expect(laptop.token).not.toBe(anonymousId);
    expect(stored(anonymousId)).toBeUndefined(); // the old id is gone (no tombstone left behind)
    expect((await laptop.get('/get?k=cart')).body).toBe('"3"'); // data kept across the id change
    expect(JSON.parse((await laptop.get('/me')).body)).toEqual({ user: 'alice' });
    expect((await browser().get('/me', { cookie: `sid=${anonymousId}` })).status).toBe(401);

    await phone.get('/login?user=alice');
    await browser().get('/login?user=bob');
    const listed = await laptop.get('/sessions');
    expect(listed.status).toBe(200);
    const sessions = JSON.parse(listed.body) as { id: string; current: boolean }[];
    expect(sessions).toHaveLength(2); // alice's two, found by a predicate on `principal`; not bob's
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    for (const s of sessions) {
      expect([laptop.token, phone.token]).not.toContain(s.id);
      expect(listed.body).not.toContain(laptop.token!);
    }

    const loggedIn = laptop.token!;
    expect(await laptop.get('/logout')).toMatchObject({ status: 200, body: 'logged out' });
    expect(laptop.token).toBeUndefined(); // cookie cleared
    expect(stored(loggedIn)).toBeUndefined();
    expect((await browser().get('/me', { cookie: `sid=${loggedIn}` })).status).toBe(401);
    expect(JSON.parse((await phone.get('/sessions')).body)).toEqual([
      expect.objectContaining({ current: true }),
    ]);
  });

  it('answers 503 while the cluster is unreachable, and recovers when it is back', async () => {
    const tab = browser();
    expect((await tab.get('/inc')).body).toBe('1');
    client.failWith(() => new ClientOfflineError()); // reconnectMode ASYNC while members are away
    try {
      const down = await tab.get('/inc');
      expect([down.status, JSON.parse(down.body)]).toEqual([503, { error: 'STORE_UNAVAILABLE' }]);
    } finally {
      client.recover();
    }
    expect((await tab.get('/inc')).body).toBe('2');
  });
});
