import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  durationSeconds: number;
  /** One cookie (session) per connection: the benchmark's users. */
  cookies: string[];
}

/**
 * Fetches `path` once per cookie-less client and returns the session cookies the server issued (as a
 * Cookie header: the session cookie, plus its signature cookie for libraries that keep one). With no
 * cookie name (a server without sessions, the ceiling) it returns empty cookies: requests carry none.
 */
export async function createSessions(
  url: string,
  path: string,
  count: number,
  cookieName: string | null,
): Promise<string[]> {
  if (cookieName === null) return Array.from({ length: count }, () => '');
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url + path);
    await response.text();
    // The session cookie, and its signature cookie where the library keeps one (koa-session: name.sig).
    const pairs = response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0]!)
      .filter((pair) => pair.startsWith(`${cookieName}=`) || pair.startsWith(`${cookieName}.sig=`));
    if (!pairs.some((pair) => pair.startsWith(`${cookieName}=`)))
      throw new Error(`no ${cookieName} cookie from ${path}`);
    cookies.push(pairs.join('; '));
  }
  return cookies;
}

/** Bounded load: `connections` keep-alive connections for `durationSeconds`, each its own session. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        method: 'GET',
        path: options.path,
        // autocannon keeps one context object per connection: pin one session (cookie) to each.
        setupRequest(request, context) {
          const perConnection = context as { cookie?: string };
          perConnection.cookie ??= options.cookies[next++ % options.cookies.length]!;
          if (perConnection.cookie === '') return request;
          return { ...request, headers: { ...request.headers, cookie: perConnection.cookie } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
