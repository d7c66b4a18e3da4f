import type { AddressInfo } from 'node:net';
import { createSessionRepository, isSessionError, StoreUnavailableError } from '@sess/core';
import { MemoryStore } from '@sess/memory';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { preventSessionCreation, session } from '../src/index.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function serve(app: Koa): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sidOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((line) => line.startsWith('sid='))
    ?.split(';')[0];

describe('@sess/koa', () => {
  it('saves what a failing downstream middleware wrote, then rethrows to the error middleware', async () => {
    const repository = createSessionRepository<{ step: string }>({ store: new MemoryStore() });
    const app = new Koa();
    const caught: unknown[] = [];
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error);
        ctx.status = 418;
        ctx.body = 'handled';
      }
    });
    const sessions = session({ repository });
    app.use(sessions);
    app.use((ctx) => {
      sessions.of(ctx).set('step', 'before-failure');
      throw new Error('boom');
    });
    const url = await serve(app);
    const res = await fetch(url);
    expect(res.status).toBe(418);
    expect(caught).toHaveLength(1);
    expect((caught[0] as Error).message).toBe('boom');
    const sid = sidOf(res);
    expect(sid).toBeDefined();
    const stored = await repository.findById(sid!.slice(4));
    expect(stored?.get('step')).toBe('before-failure');
  });

  it("without error middleware, a store failure reaches Koa's own error handling (app 'error' event)", async () => {
    const store = new MemoryStore();
    const repository = createSessionRepository({ store });
    const app = new Koa();
    const emitted: unknown[] = [];
    app.on('error', (error) => emitted.push(error));
    app.use(session({ repository }));
    app.use((ctx) => {
      ctx.session.set('a', 1);
      ctx.body = 'ok';
    });
    const url = await serve(app);
    const original = store.save.bind(store);
    store.save = () => Promise.reject(new StoreUnavailableError('down'));
    const res = await fetch(url);
    expect(res.status).toBe(500);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(emitted).toHaveLength(1);
    expect(isSessionError(emitted[0]) && emitted[0].code).toBe('STORE_UNAVAILABLE');
    store.save = original;
    expect((await fetch(url)).status).toBe(200);
  });

  it('preventSessionCreation() guards the middleware chain after it', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(session({ repository: createSessionRepository({ store: new MemoryStore() }) }));
    app.use(preventSessionCreation());
    app.use((ctx) => {
      ctx.session.set('a', 1);
      ctx.body = 'ok';
    });
    const res = await fetch(await serve(app));
    expect(res.status).toBe(500);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('mounted twice, the outer middleware owns the session', async () => {
    const app = new Koa();
    const sessions = session({ repository: createSessionRepository({ store: new MemoryStore() }) });
    app.use(sessions);
    app.use(sessions);
    app.use((ctx) => {
      ctx.session.set('a', 1);
      ctx.body = 'ok';
    });
    const res = await fetch(await serve(app));
    expect(res.headers.getSetCookie()).toHaveLength(1);
  });
});
