import { createSessionRepository } from '@sess/core';
import { defineStoreConformance } from '@sess/testkit';
import { describe, expect, it } from 'vitest';
import { cookieSessions } from '../src/index.js';
import { SECRET_A } from './helpers.js';

// The store kit drives the store directly, as core does within one request: create, load, deltas,
// id change and delete under the keys core hands it. A cookie store keeps only the sessions of the
// requests in flight; what it cannot do (find by principal, events, cleanup) it leaves out, and the
// kit's capability-gated checks follow that.
defineStoreConformance({
  name: 'cookie (the sessions of requests in flight)',
  createStore: ({ clock }) => cookieSessions({ secrets: [SECRET_A], clock }).store,
  scale: 500,
  notApplicable: {
    'stores and loads a 1 MB value':
      'a cookie session must fit in a 4 KB cookie; a bigger one fails at save with CookieTooLargeError (cookie-sessions.test.ts)',
    'round-trips hostile and unicode attribute names as plain data':
      'its names (one of 512 euro signs among them) seal past 4 KB, which the cookie refuses with CookieTooLargeError; names are sealed verbatim (round-tripped below at a size that fits)',
    'distinct principals stay distinct: trailing space, case and Unicode normalisation (NFC/NFD) are not folded':
      'its sessions seal past 4 KB, which the cookie refuses with CookieTooLargeError; principals are sealed verbatim (round-tripped below) and the store has no index to fold them',
  },
});

describe('names the kit cannot fit in a cookie, at a size that fits', () => {
  it('round-trips hostile and unicode attribute names and distinct principals verbatim', async () => {
    const repository = createSessionRepository({ store: cookieSessions({ secrets: [SECRET_A] }).store });
    const names = [
      '__proto__',
      'constructor',
      'then',
      'id',
      ' ',
      'a:b',
      '{tag}',
      'ünïcødé 名前 🍪',
      'line\nbreak',
      '$sess',
    ];
    for (const principal of ['alice', 'alice ', 'Alice', 'caf\u00e9', 'cafe\u0301']) {
      const session = repository.createSession();
      session.principal = principal;
      for (const [i, name] of names.entries()) session.set(name, i);
      await repository.save(session);
      const loaded = await repository.findById(session.id);
      expect(loaded?.principal).toBe(principal);
      expect(Object.fromEntries(names.map((name) => [name, loaded?.get(name)]))).toEqual(
        Object.fromEntries(names.map((name, i) => [name, i])),
      );
    }
  });
});
