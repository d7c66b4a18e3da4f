import { defineStoreConformance } from '@sess/testkit';
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
  },
});
