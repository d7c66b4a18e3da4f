import type { AddressInfo } from 'node:net';
import type { RequestSession, SessionManagerOptions } from '@sess/core';
import { type AdapterFixture, fixtureErrorResponse, fixtureRoute } from '@sess/testkit';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { stream } from 'hono/streaming';
import { createFetchSessions, withSession } from '../src/index.js';
import { type FetchHandler, serveFetch } from '../src/node/index.js';

async function listen(handler: FetchHandler): Promise<AdapterFixture> {
  const server = serveFetch(handler).listen(0, '127.0.0.1');
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

const toResponse = (answer: { status: number; contentType: string; body: string }) =>
  new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });

/** The adapter-kit fixture as a plain fetch handler wrapped with withSession, behind node:http. */
export function startPlainFixture(options: SessionManagerOptions): Promise<AdapterFixture> {
  const app = withSession(async (request, session) => {
    const url = new URL(request.url);
    if (url.pathname === '/redirect') {
      session.set('redirected', true);
      // Response.redirect() has immutable headers: the adapter must copy it to add the cookie.
      return Response.redirect(new URL('/get?k=redirected', url), 302);
    }
    if (url.pathname === '/stream') {
      session.set('streamed', true);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('a'));
          await new Promise((resolve) => setTimeout(resolve, 10));
          controller.enqueue(encoder.encode('b'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/plain' } });
    }
    const answer = await fixtureRoute(session, options.repository, url.pathname, url.searchParams);
    return answer ? toResponse(answer) : new Response('not found', { status: 404 });
  }, options);
  return listen(async (request) => {
    try {
      return await app(request);
    } catch (error) {
      return toResponse(fixtureErrorResponse(error));
    }
  });
}

type Env = { Variables: { session: RequestSession } };

/** The adapter-kit fixture on Hono, with a Hono middleware built on createFetchSessions. */
export function startHonoFixture(options: SessionManagerOptions): Promise<AdapterFixture> {
  const sessions = createFetchSessions(options);
  const app = new Hono<Env>();
  app.use(
    createMiddleware<Env>(async (c, next) => {
      c.set('session', await sessions.getSession(c.req.raw));
      await next();
      const committed = await sessions.commit(c.req.raw, c.res);
      if (committed !== c.res) {
        c.res = undefined; // a copy: hand it over whole instead of letting Hono merge the old headers
        c.res = committed;
      }
    }),
  );
  app.get('/redirect', (c) => {
    c.var.session.set('redirected', true);
    return c.redirect('/get?k=redirected');
  });
  app.get('/stream', (c) => {
    c.var.session.set('streamed', true);
    c.header('content-type', 'text/plain');
    return stream(c, async (out) => {
      await out.write('a');
      await out.sleep(10);
      await out.write('b');
    });
  });
  app.get('*', async (c) => {
    const answer = await fixtureRoute(
      c.var.session,
      options.repository,
      c.req.path,
      new URL(c.req.url).searchParams,
    );
    return answer ? toResponse(answer) : c.notFound();
  });
  app.onError((error) => toResponse(fixtureErrorResponse(error)));
  return listen((request) => app.fetch(request));
}
