import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface ServeFetchOptions {
  /** Called when the handler throws or the response cannot be written. Default: console.error. */
  onError?: (error: unknown) => void;
}

/**
 * A node:http server for a web-standard fetch handler (a `withSession` handler, a Hono app's
 * `fetch`): builds a Request from each incoming message (its signal aborts when the client goes away)
 * and writes the Response back, streaming its body with backpressure. Each Set-Cookie stays its own
 * header. A handler that throws gets a 500 if nothing was sent yet, else the connection is closed.
 */
export function serveFetch(handler: FetchHandler, options: ServeFetchOptions = {}): Server {
  const onError = options.onError ?? ((error: unknown) => console.error('[@sess/fetch/node]', error));
  return createServer((req, res) => {
    respond(handler, req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      else res.destroy();
    });
  });
}

async function respond(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  });
  const response = await handler(request);
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.appendHeader(name, value);
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  res.flushHeaders(); // a streamed body: the head goes out before the first chunk
  const reader = response.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (!res.write(next.value)) await once(res, 'drain');
  }
  res.end();
}
