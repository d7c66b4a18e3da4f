import { createSessionRepository, isSessionError, maskSessionId } from '@sess/core';
import { type RequestSession, withSession } from '@sess/fetch';
import { MemoryStore } from '@sess/memory';

/** What this app keeps in a session. */
interface AppSession {
  count: number;
  [attribute: string]: unknown;
}

export const repository = createSessionRepository<AppSession>({
  store: new MemoryStore(),
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});

type Route = (session: RequestSession<AppSession>, query: URLSearchParams) => Response | Promise<Response>;

/** Plain text, never HTML: nothing echoed from the request can run as a script. */
const text = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** One query parameter; null when it is missing or repeated (`?k=a&k=b`), which gets a 400. */
function param(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  return values.length === 1 ? values[0]! : null;
}
const json = (body: unknown, status = 200) => Response.json(body, { status });

const routes: Record<string, Route> = {
  '/': () =>
    new Response(
      `<!doctype html><title>@sess demo</title>
<h1>@sess demo: node:http → fetch handler (@sess/fetch) + memory store</h1>
<ul>
  <li><a href="/inc">/inc</a>: count visits in the session (the first write creates the session and sets the cookie)</li>
  <li><a href="/set?k=color&v=blue">/set?k=color&amp;v=blue</a> then <a href="/get?k=color">/get?k=color</a></li>
  <li><a href="/login?user=alice">/login?user=alice</a>: rotates the session id, sets the principal</li>
  <li><a href="/me">/me</a>: who am I (401 when anonymous)</li>
  <li><a href="/sessions">/sessions</a>: all sessions of the logged-in user, through the principal index</li>
  <li><a href="/logout">/logout</a>: destroys the session and clears the cookie</li>
</ul>`,
      { headers: { 'content-type': 'text/html; charset=utf-8' } },
    ),

  '/login': async (session, query) => {
    const user = param(query, 'user');
    if (!user) return text('user is required, once', 400);
    await session.regenerate(); // new id against session fixation; data is kept
    session.principal = user; // indexes the session under this user
    return text(`logged in as ${user}`);
  },

  '/logout': async (session) => {
    await session.destroy();
    return text('logged out');
  },

  '/me': (session) =>
    session.principal === null ? json({ user: null }, 401) : json({ user: session.principal }),

  '/inc': (session) => {
    const count = (session.get('count') ?? 0) + 1;
    session.set('count', count);
    return text(String(count));
  },

  '/set': (session, query) => {
    const key = param(query, 'k');
    const value = param(query, 'v');
    if (!key || value === null) return text('k and v are required, once each', 400);
    session.set(key, value);
    return text('ok');
  },

  '/get': (session, query) => {
    const key = param(query, 'k');
    if (!key) return text('k is required, once', 400);
    return json(session.get(key) ?? null);
  },

  '/sessions': async (session) => {
    if (session.principal === null) return json({ error: 'log in first' }, 401);
    const found = await repository.findByPrincipal(session.principal);
    return json(
      [...found.values()].map((s) => ({
        id: maskSessionId(s.id),
        current: s.id === session.id,
        createdAt: new Date(s.createdAt).toISOString(),
        lastAccessedAt: new Date(s.lastAccessedAt).toISOString(),
      })),
    );
  },
};

/** The application: a plain web-standard handler, runnable on any fetch-based server. */
const withSessions = withSession<AppSession>(
  (request, session) => {
    const url = new URL(request.url);
    const route = request.method === 'GET' || request.method === 'HEAD' ? routes[url.pathname] : undefined;
    return route ? route(session, url.searchParams) : text('not found', 404);
  },
  { repository, cookie: { name: 'sid' } },
);

/** Store failures and other session errors arrive here as typed errors with a stable `code`. */
export async function app(request: Request): Promise<Response> {
  try {
    return await withSessions(request);
  } catch (error) {
    // INVALID_DATA: a principal or attribute name no store can hold, or a session over its size limits.
    if (isSessionError(error))
      return json(
        { error: error.code },
        error.code === 'STORE_UNAVAILABLE' ? 503 : error.code === 'INVALID_DATA' ? 400 : 500,
      );
    console.error(error);
    return json({ error: 'UNEXPECTED' }, 500);
  }
}
