import { startHonoFixture, startPlainFixture } from '../../fetch/test/fixture-apps.js';
import { defineCookieAdapterConformance } from './cookie-adapter-kit.js';

defineCookieAdapterConformance('fetch (Hono middleware)', (options) => startHonoFixture(options));
defineCookieAdapterConformance(
  'fetch (withSession behind node:http)',
  (options) => startPlainFixture(options),
  {
    'reaches the error handler, and what it set on the session before throwing is saved':
      'withSession has no response to put the cookie on when the handler throws (the error is rethrown to the caller); with the session in the cookie, a save no response carries never reaches the client',
  },
);
