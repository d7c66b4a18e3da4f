import type { AddressInfo } from 'node:net';
import type { SessionManagerOptions } from '@sess/core';
import { session } from '@sess/express';
import { type AdapterFixture, fixtureErrorResponse, fixtureRoute } from '@sess/testkit';
import express, { type ErrorRequestHandler } from 'express';

/** The adapter-kit fixture app on Express 5, wired like packages/express/test/fixture-app.ts. */
export async function startExpressFixture(options: SessionManagerOptions): Promise<AdapterFixture> {
  const app = express();
  app.use(session(options));
  app.get('/redirect', (req, res) => {
    req.session.set('redirected', true);
    res.redirect('/get?k=redirected');
  });
  app.get('/stream', (req, res) => {
    req.session.set('streamed', true);
    res.write('a');
    setTimeout(() => res.end('b'), 10);
  });
  app.use((req, res, next) => {
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    fixtureRoute(req.session, options.repository, req.path, query).then((answer) => {
      if (!answer) return next();
      res.status(answer.status).type(answer.contentType).send(answer.body);
    }, next);
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const answer = fixtureErrorResponse(error);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };
  app.use(onError);
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
