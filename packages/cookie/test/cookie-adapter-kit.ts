import type { SessionManagerOptions, SessionStore } from '@sess/core';
import { MemoryStore } from '@sess/memory';
import { type AdapterConformanceOptions, type AdapterFixture, defineAdapterConformance } from '@sess/testkit';
import { cookieSessions } from '../src/index.js';
import { SECRET_A } from './helpers.js';

/** Kit checks that cannot apply when the session travels in the cookie, with why. */
export const COOKIE_STORE_NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'a first write issues a secure-by-default cookie and a no-store Cache-Control':
    'its value must be a 43-character id; a cookie session is the sealed session itself (the same attributes are checked in cookie-sessions.test.ts)',
  'a write to an existing session saves only, without re-sending the cookie':
    'the cookie is the session: every save must re-send it',
  'hostile cookies give a fresh session, never a 5xx':
    'it expects the fresh cookie to be a 43-character id; the same hostile cookies are sent in cookie-sessions.test.ts',
  'signs the id and rejects a forged signature':
    'a cookie session is sealed (AES-256-GCM), not a signed id; flipped bytes are refused in cookie-sessions.test.ts',
  "/sessions lists the principal's sessions through the index, ids masked":
    'the sessions live in browsers: the cookie store has no findByPrincipal',
  'hands out the id in the header, never a cookie, and reads it back':
    'the cookie store works with its own cookie resolver only (a sealed session does not fit an id header)',
  'rotates and clears through the header': 'the cookie store works with its own cookie resolver only',
  'answers each client on the channel it used (API clients opt in with an empty header)':
    'the cookie store works with its own cookie resolver only',
  '50 concurrent requests each setting a different attribute leave all 50':
    'each response carries its own sealed cookie: the last one the browser keeps wins the whole session (no merge of deltas)',
  '50 concurrent increments of one counter through one instance: none is lost':
    'each response carries its own sealed cookie; the tab that sent none of them keeps its own count',
};

/**
 * Runs the adapter kit on cookie sessions with a deny-list (the mode in which logout and login end
 * the old cookie). The kit builds the repository from `createStore()` before `start` sees the cookie
 * options of its suite, so the store handed over forwards to the cookie store made in `start`.
 */
export function defineCookieAdapterConformance(
  name: string,
  start: (options: SessionManagerOptions) => AdapterFixture | Promise<AdapterFixture>,
  alsoNotApplicable: Readonly<Record<string, string>> = {},
): void {
  let forward: { target: SessionStore | undefined } = { target: undefined };
  const kit: AdapterConformanceOptions = {
    name: `${name} on @sess/cookie (with a deny-list)`,
    createStore() {
      forward = { target: undefined };
      return forwardingStore(forward);
    },
    start(options) {
      const { cookie, idResolver: _ignored, ...rest } = options;
      const { secrets: _signing, ...cookieOptions } = cookie ?? {};
      const cookies = cookieSessions({
        secrets: [SECRET_A],
        cookie: cookieOptions,
        denyList: new MemoryStore({ clock: options.repository.clock }),
        clock: options.repository.clock,
      });
      forward.target = cookies.store;
      return start({ ...rest, idResolver: cookies.idResolver });
    },
    notApplicable: { ...COOKIE_STORE_NOT_APPLICABLE, ...alsoNotApplicable },
  };
  defineAdapterConformance(kit);
}

function forwardingStore(forward: { target: SessionStore | undefined }): SessionStore {
  const target = (): SessionStore => {
    if (forward.target === undefined) throw new Error('the fixture has not started yet');
    return forward.target;
  };
  return {
    name: 'cookie',
    load: (id) => target().load(id),
    save: (write) => target().save(write),
    delete: (id) => target().delete(id),
    changeId: (oldId, newId, now) => target().changeId!(oldId, newId, now),
  };
}
