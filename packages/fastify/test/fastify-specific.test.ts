import fastifyCookie from '@fastify/cookie';
import { createSessionRepository, isSessionError, StoreUnavailableError } from '@sess/core';
import { MemoryStore } from '@sess/memory';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { fastifySession, preventSessionCreation, session } from '../src/index.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function newApp(): FastifyInstance {
  const app = Fastify();
  apps.push(app);
  return app;
}

const cookieOf = (setCookie: string | string[] | undefined, name: string) =>
  [setCookie ?? []].flat().find((line) => line.startsWith(`${name}=`));

describe('@sess/fastify', () => {
  it('keeps cookies set through @fastify/cookie next to the session cookie', async () => {
    const app = newApp();
    await app.register(fastifyCookie);
    await app.register(session({ repository: createSessionRepository({ store: new MemoryStore() }) }));
    app.get('/', async (request, reply) => {
      reply.setCookie('theme', 'dark', { path: '/' });
      request.session.set('a', 1);
      return 'ok';
    });
    app.get('/cookies', async (request) => ({ theme: request.cookies.theme, a: request.session.get('a') }));
    const first = await app.inject('/');
    const sid = cookieOf(first.headers['set-cookie'], 'sid');
    expect(sid).toBeDefined();
    expect(cookieOf(first.headers['set-cookie'], 'theme')).toMatch(/^theme=dark/);
    const cookie = `${sid!.split(';')[0]}; theme=dark`;
    const second = await app.inject({ url: '/cookies', headers: { cookie } });
    expect(second.json()).toEqual({ theme: 'dark', a: 1 });
  });

  it('works in the register(plugin, options) form and types attributes through of()', async () => {
    const app = newApp();
    await app.register(fastifySession, { repository: createSessionRepository({ store: new MemoryStore() }) });
    app.get('/', async (request) => {
      request.session.set('n', 1);
      return String(request.session.get('n'));
    });
    const res = await app.inject('/');
    expect(res.body).toBe('1');
    expect(cookieOf(res.headers['set-cookie'], 'sid')).toBeDefined();
  });

  it('honours encapsulation: registered inside a plugin, only that plugin has sessions', async () => {
    const app = newApp();
    const repository = createSessionRepository({ store: new MemoryStore() });
    const scoped: FastifyPluginAsync = async (scope) => {
      await scope.register(session({ repository }));
      scope.get('/inside', async (request) => {
        request.session.set('a', 1);
        return 'in';
      });
    };
    await app.register(scoped);
    app.get('/outside', async (request) => String((request as { session?: unknown }).session ?? 'none'));
    expect(cookieOf((await app.inject('/inside')).headers['set-cookie'], 'sid')).toBeDefined();
    const outside = await app.inject('/outside');
    expect(outside.body).toBe('none');
    expect(outside.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a second registration in one scope with a clear config error', async () => {
    const app = newApp();
    const repository = createSessionRepository({ store: new MemoryStore() });
    await app.register(session({ repository }));
    await expect(app.register(session({ repository }))).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('hands store failures to setErrorHandler as typed errors (load and save)', async () => {
    const store = new MemoryStore();
    const repository = createSessionRepository({ store });
    const app = newApp();
    const seen: unknown[] = [];
    await app.register(session({ repository }));
    app.get('/set', async (request) => {
      request.session.set('a', 1);
      return 'ok';
    });
    app.setErrorHandler(async (error, _request, reply) => {
      seen.push(error);
      return reply.status(503).send({ code: isSessionError(error) ? error.code : 'other' });
    });
    const failing = () => Promise.reject(new StoreUnavailableError('down'));
    const original = store.save.bind(store);
    store.save = failing;
    const res = await app.inject('/set');
    expect(res.statusCode).toBe(503);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(StoreUnavailableError);
    store.save = original;
    expect((await app.inject('/set')).statusCode).toBe(200);
  });

  it('preventSessionCreation guards a route', async () => {
    const app = newApp();
    await app.register(session({ repository: createSessionRepository({ store: new MemoryStore() }) }));
    app.get('/api', { preHandler: preventSessionCreation }, async (request) => {
      request.session.set('a', 1);
      return 'ok';
    });
    const res = await app.inject('/api');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'CREATION_FORBIDDEN' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
