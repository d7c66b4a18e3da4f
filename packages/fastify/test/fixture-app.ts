import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import type { SessionManagerOptions } from '@sess/core';
import { type AdapterFixture, fixtureErrorResponse, fixtureRoute } from '@sess/testkit';
import Fastify from 'fastify';
import { session } from '../src/index.js';

/** The adapter-kit fixture on Fastify 5, optionally with @fastify/cookie registered alongside. */
export async function startFastifyFixture(
  options: SessionManagerOptions,
  { withCookiePlugin = false } = {},
): Promise<AdapterFixture> {
  const app = Fastify();
  if (withCookiePlugin) await app.register(fastifyCookie);
  await app.register(session(options));
  app.get('/redirect', async (request, reply) => {
    request.session.set('redirected', true);
    return reply.redirect('/get?k=redirected');
  });
  app.get('/stream', async (request, reply) => {
    request.session.set('streamed', true);
    const chunks = (async function* () {
      yield 'a';
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield 'b';
    })();
    return reply.type('text/plain').send(Readable.from(chunks));
  });
  app.get('/*', async (request, reply) => {
    const [path = '/', search = ''] = request.url.split('?');
    const answer = await fixtureRoute(request.session, options.repository, path, new URLSearchParams(search));
    if (!answer) return reply.callNotFound();
    return reply.status(answer.status).type(answer.contentType).send(answer.body);
  });
  app.setErrorHandler(async (error, _request, reply) => {
    const answer = fixtureErrorResponse(error);
    return reply.status(answer.status).type(answer.contentType).send(answer.body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
