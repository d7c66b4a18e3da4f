import { isSessionError, maskSessionId, type RequestSession, type SessionRepository } from '@sess/core';

/** What a fixture route answers; the adapter's fixture app sends it with its framework's API. */
export interface FixtureResponse {
  status: number;
  contentType: 'application/json' | 'text/plain';
  body: string;
}

const json = (value: unknown, status = 200): FixtureResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});
const text = (value: string, status = 200): FixtureResponse => ({
  status,
  contentType: 'text/plain',
  body: value,
});

/**
 * The routes every adapter fixture serves (the example route contract from DESIGN.md plus a few the
 * kit needs). Framework-neutral: an adapter fixture maps a GET to `fixtureRoute(...)` and sends the
 * result; only `/redirect` and `/stream` are written natively by each fixture, to test its framework's
 * own redirect and streaming paths.
 *
 *   /login?user=U   regenerate, set principal     /logout          destroy
 *   /me             {user} or 401                 /inc             count + 1
 *   /set?k&v        set attribute                 /get?k           attribute as JSON
 *   /sessions       the principal's sessions      /read            read count, write nothing
 *   /nocreate/set   set, on a route forbidding session creation
 *   /slow-set?k&v&ms  wait, then set (to overlap with other requests)
 *   /set-then-throw?k&v  set, then throw (the handler fails after changing the session)
 *   /login-then-throw?user  regenerate and set the principal, then throw
 */
export async function fixtureRoute(
  session: RequestSession,
  repository: SessionRepository,
  path: string,
  query: URLSearchParams,
): Promise<FixtureResponse | undefined> {
  switch (path) {
    case '/':
      return text('@sess adapter fixture');
    case '/login':
      await session.regenerate();
      session.principal = query.get('user') ?? 'anonymous';
      return text('ok');
    case '/logout':
      await session.destroy();
      return text('ok');
    case '/me':
      return session.principal === null ? json({ user: null }, 401) : json({ user: session.principal });
    case '/inc': {
      const count = ((session.get('count') as number | undefined) ?? 0) + 1;
      session.set('count', count);
      return text(String(count));
    }
    case '/set':
      session.set(query.get('k') ?? 'k', query.get('v') ?? '');
      return text('ok');
    case '/get':
      return json(session.get(query.get('k') ?? 'k') ?? null);
    case '/read':
      return json({ count: session.get('count') ?? null, isNew: session.isNew });
    case '/sessions': {
      if (session.principal === null) return json({ error: 'not logged in' }, 401);
      const sessions = await repository.findByPrincipal(session.principal);
      return json([...sessions.keys()].map(maskSessionId));
    }
    case '/nocreate/set':
      session.preventCreation();
      session.set(query.get('k') ?? 'k', query.get('v') ?? '');
      return text('ok');
    case '/slow-set':
      await new Promise((resolve) => setTimeout(resolve, Number(query.get('ms') ?? 100)));
      session.set(query.get('k') ?? 'k', query.get('v') ?? '');
      return text('ok');
    case '/set-then-throw':
      session.set(query.get('k') ?? 'k', query.get('v') ?? '');
      throw new Error('the handler failed after setting an attribute');
    case '/login-then-throw':
      await session.regenerate();
      session.principal = query.get('user') ?? 'anonymous';
      throw new Error('the handler failed during login');
    default:
      return undefined;
  }
}

/** How a fixture's error handler answers: typed session errors map to their status, with the code. */
export function fixtureErrorResponse(error: unknown): FixtureResponse {
  if (isSessionError(error)) {
    const status = error.code === 'STORE_UNAVAILABLE' ? 503 : error.code === 'CREATION_FORBIDDEN' ? 403 : 500;
    return json({ code: error.code }, status);
  }
  return json({ code: 'UNEXPECTED' }, 500);
}
