import { createSessionRepository, StoreUnavailableError } from '@sess/core';
import { MemoryStore } from '@sess/memory';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createFetchSessions, withSession } from '../src/index.js';

const newSessions = (options: { trustProxy?: boolean } = {}) => {
  const store = new MemoryStore();
  return {
    store,
    sessions: createFetchSessions({ repository: createSessionRepository({ store }), ...options }),
  };
};

describe('@sess/fetch', () => {
  it('getSession returns the same session for the same Request, and commit without it passes through', async () => {
    const { sessions } = newSessions();
    const request = new Request('http://x/');
    expect(await sessions.getSession(request)).toBe(await sessions.getSession(request));
    const response = new Response('ok');
    expect(await sessions.commit(new Request('http://x/'), response)).toBe(response);
  });

  it('adds the cookie in place when headers are mutable, and copies immutable responses', async () => {
    const { sessions } = newSessions();
    const mutable = new Request('http://x/a');
    (await sessions.getSession(mutable)).set('a', 1);
    const response = new Response('ok', { status: 201, headers: { 'x-handler': '1' } });
    const committed = await sessions.commit(mutable, response);
    expect(committed).toBe(response);
    expect(committed.headers.getSetCookie()).toHaveLength(1);
    expect(committed.headers.get('cache-control')).toBe('no-store');

    const frozen = new Request('http://x/b');
    (await sessions.getSession(frozen)).set('a', 1);
    const redirect = Response.redirect('http://x/next', 303);
    const copy = await sessions.commit(frozen, redirect);
    expect(copy).not.toBe(redirect);
    expect(copy.status).toBe(303);
    expect(copy.headers.get('location')).toBe('http://x/next');
    expect(copy.headers.getSetCookie()).toHaveLength(1);
  });

  it("keeps the handler's own cookies and a private Cache-Control", async () => {
    const { sessions } = newSessions();
    const request = new Request('http://x/');
    (await sessions.getSession(request)).set('a', 1);
    const response = new Response('ok', {
      headers: [
        ['set-cookie', 'theme=dark; Path=/'],
        ['cache-control', 'private, max-age=60'],
      ],
    });
    const committed = await sessions.commit(request, response);
    expect(committed.headers.getSetCookie()).toEqual(['theme=dark; Path=/', expect.stringMatching(/^sid=/)]);
    expect(committed.headers.get('cache-control')).toBe('private, max-age=60');
  });

  it('a second commit does not send the cookie twice', async () => {
    const { sessions } = newSessions();
    const request = new Request('http://x/');
    (await sessions.getSession(request)).set('a', 1);
    const first = await sessions.commit(request, new Response('1'));
    const second = await sessions.commit(request, new Response('2'));
    expect(first.headers.getSetCookie()).toHaveLength(1);
    expect(second.headers.getSetCookie()).toEqual([]);
  });

  it('sets Secure from the URL protocol, and from X-Forwarded-Proto only when trustProxy is on', async () => {
    const cookieFor = async (trustProxy: boolean, url: string, headers: Record<string, string> = {}) => {
      const { sessions } = newSessions({ trustProxy });
      const request = new Request(url, { headers });
      (await sessions.getSession(request)).set('a', 1);
      return (await sessions.commit(request, new Response('ok'))).headers.getSetCookie()[0]!;
    };
    expect(await cookieFor(false, 'https://x/')).toMatch(/; Secure/);
    expect(await cookieFor(false, 'http://x/')).not.toMatch(/; Secure/);
    expect(await cookieFor(false, 'http://x/', { 'x-forwarded-proto': 'https' })).not.toMatch(/; Secure/);
    expect(await cookieFor(true, 'http://x/', { 'x-forwarded-proto': 'https, http' })).toMatch(/; Secure/);
    expect(await cookieFor(true, 'https://x/', { 'x-forwarded-proto': 'http' })).not.toMatch(/; Secure/);
  });

  it('withSession passes extra handler arguments through and rejects on store failures', async () => {
    const { store, sessions } = newSessions();
    const handler = withSession((_request, session, context: { params: { id: string } }) => {
      session.set('id', context.params.id);
      return new Response(context.params.id);
    }, sessions);
    const res = await handler(new Request('http://x/'), { params: { id: '7' } });
    expect(await res.text()).toBe('7');
    expect(res.headers.getSetCookie()).toHaveLength(1);
    store.save = () => Promise.reject(new StoreUnavailableError('down'));
    await expect(handler(new Request('http://x/'), { params: { id: '8' } })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  it('a Hono handler returning an immutable Response still gets its cookie through the middleware', async () => {
    const { sessions } = newSessions();
    const app = new Hono();
    app.use(async (c, next) => {
      await sessions.getSession(c.req.raw);
      await next();
      const committed = await sessions.commit(c.req.raw, c.res);
      if (committed !== c.res) {
        c.res = undefined;
        c.res = committed;
      }
    });
    app.get('/', async (c) => {
      (await sessions.getSession(c.req.raw)).set('a', 1);
      return Response.redirect('http://x/next', 302);
    });
    const res = await app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie()).toHaveLength(1);
  });
});
