import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { SessionManagerOptions } from '@sess/core';
import { type AdapterFixture, fixtureErrorResponse, fixtureRoute } from '@sess/testkit';
import type Koa from 'koa';
import { session } from '../src/index.js';

/** The adapter-kit fixture on Koa (2 or 3: the constructor is passed in). */
export async function startKoaFixture(
  KoaApp: new () => Koa,
  options: SessionManagerOptions,
): Promise<AdapterFixture> {
  const app = new KoaApp();
  app.silent = true; // store failures are expected here; the error middleware answers them
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const answer = fixtureErrorResponse(error);
      ctx.status = answer.status;
      ctx.type = answer.contentType;
      ctx.body = answer.body;
    }
  });
  app.use(session(options));
  app.use(async (ctx, next) => {
    if (ctx.path === '/redirect') {
      ctx.session.set('redirected', true);
      ctx.redirect('/get?k=redirected');
      return;
    }
    if (ctx.path === '/stream') {
      ctx.session.set('streamed', true);
      ctx.type = 'text/plain';
      ctx.body = Readable.from(
        (async function* () {
          yield 'a';
          await new Promise((resolve) => setTimeout(resolve, 10));
          yield 'b';
        })(),
      );
      return;
    }
    const answer = await fixtureRoute(
      ctx.session,
      options.repository,
      ctx.path,
      new URLSearchParams(ctx.querystring),
    );
    if (!answer) return next();
    ctx.status = answer.status;
    ctx.type = answer.contentType;
    ctx.body = answer.body;
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
