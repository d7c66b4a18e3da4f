import { createSessionRepository, type SessionRepository } from '@sess/core';
import { withSession } from '@sess/fetch';
import { createManualClock, type ManualClock } from '@sess/testkit';
import { type CookieSessions, type CookieSessionsOptions, cookieSessions } from '../src/index.js';

export const SECRET_A = 'a-first-secret-of-at-least-32-characters';
export const SECRET_B = 'a-second-secret-of-at-least-32-characters';

/** A fetch app on cookie sessions with the fixture-like routes the tests drive, in process. */
export interface TestApp {
  clock: ManualClock;
  cookies: CookieSessions;
  repository: SessionRepository;
  /** Sends a GET with `token` as the sid cookie; returns status, body and the new token (null: cleared). */
  get(
    path: string,
    token?: string,
  ): Promise<{
    status: number;
    body: string;
    token: string | null | undefined;
    setCookies: string[];
    cacheControl: string | null;
  }>;
}

export function testApp(
  options: Partial<CookieSessionsOptions> = {},
  repo: { idleTimeoutMs?: number; absoluteTimeoutMs?: number; touchIntervalMs?: number } = {},
): TestApp {
  const clock = createManualClock();
  const cookies = cookieSessions({ secrets: [SECRET_A], clock, ...options });
  const repository = createSessionRepository({
    store: cookies.store,
    clock,
    idleTimeoutMs: repo.idleTimeoutMs ?? 30 * 60_000,
    ...(repo.absoluteTimeoutMs === undefined ? {} : { absoluteTimeoutMs: repo.absoluteTimeoutMs }),
  });
  const handler = withSession(
    async (request, session) => {
      const url = new URL(request.url);
      const q = url.searchParams;
      switch (url.pathname) {
        case '/set':
          session.set(q.get('k') ?? 'k', q.get('v') ?? '');
          return new Response('ok');
        case '/get':
          return Response.json(session.get(q.get('k') ?? 'k') ?? null);
        case '/login':
          await session.regenerate();
          session.principal = q.get('user') ?? 'anon';
          return new Response('ok');
        case '/logout':
          await session.destroy();
          return new Response('ok');
        case '/me':
          return Response.json({ user: session.principal }, { status: session.principal ? 200 : 401 });
        case '/save-twice':
          session.set('first', '1');
          await session.save();
          session.set('second', '2');
          return new Response('ok');
        default:
          return new Response('not found', { status: 404 });
      }
    },
    { repository, idResolver: cookies.idResolver, touchIntervalMs: repo.touchIntervalMs ?? 60_000 },
  );
  return {
    clock,
    cookies,
    repository,
    async get(path, token) {
      const headers: Record<string, string> = token === undefined ? {} : { cookie: `sid=${token}` };
      const response = await handler(new Request(`http://localhost${path}`, { headers }));
      const setCookies = response.headers.getSetCookie();
      let next: string | null | undefined;
      for (const line of setCookies) {
        const value = line.split(';')[0]!.slice('sid='.length);
        next = value === '' ? null : decodeURIComponent(value);
      }
      return {
        status: response.status,
        body: await response.text(),
        token: next,
        setCookies,
        cacheControl: response.headers.get('cache-control'),
      };
    },
  };
}
