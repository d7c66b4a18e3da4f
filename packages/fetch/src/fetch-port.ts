import type { HttpPort } from '@sess/core';

/**
 * Core's HTTP port over a web-standard Request. There is no response object while the handler runs,
 * so session headers collect in `pending` and are merged into the Response when it is committed.
 */
export interface FetchPort extends HttpPort {
  /** Headers core has written for this request, not yet merged into a Response. */
  pending: Headers;
  /** The Response being committed, so core sees headers the handler set (Cache-Control). */
  response: Response | undefined;
}

export function fetchPort(request: Request, trustProxy: boolean): FetchPort {
  const port: FetchPort = {
    pending: new Headers(),
    response: undefined,
    getRequestHeader: (name) => request.headers.get(name) ?? undefined,
    isSecure() {
      if (trustProxy) {
        // The proxy closest to us appends last, but the client-facing scheme is the first entry.
        const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
        if (forwarded) return forwarded.toLowerCase() === 'https';
      }
      return request.url.startsWith('https:');
    },
    getResponseHeader: (name) => port.pending.get(name) ?? port.response?.headers.get(name) ?? undefined,
    setResponseHeader: (name, value) => {
      port.pending.set(name, value);
    },
    appendResponseHeader: (name, value) => {
      port.pending.append(name, value);
    },
  };
  return port;
}

/**
 * `response` carrying the pending headers. Responses from fetch() or Response.redirect() have
 * immutable headers; those are copied into a new Response (same status and body stream).
 */
export function mergeHeaders(response: Response, pending: Headers): Response {
  if (pending.keys().next().done) return response;
  try {
    copyInto(response.headers, pending);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    copyInto(headers, pending);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

function copyInto(target: Headers, pending: Headers): void {
  // Iterating Headers yields each Set-Cookie separately; every other header replaces the handler's.
  for (const [name, value] of pending) {
    if (name === 'set-cookie') target.append(name, value);
    else target.set(name, value);
  }
}
