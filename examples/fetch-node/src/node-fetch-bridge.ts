import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Serves a web-standard fetch handler from node:http: builds a Request from the incoming message and
 * writes the Response back, streaming its body. (@hono/node-server and similar do this, with more care
 * for edge cases; this is the whole idea in 40 lines.)
 */
export function serveFetch(handler: FetchHandler): Server {
  return createServer((req, res) => {
    bridge(handler, req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      else res.destroy();
    });
  });
}

async function bridge(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const controller = new AbortController();
  res.once('close', () => controller.abort()); // the client went away: let the handler know
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
  // Headers iteration yields each Set-Cookie on its own, so appendHeader keeps them separate.
  for (const [name, value] of response.headers) res.appendHeader(name, value);
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) res.write(chunk.value);
  res.end();
}
