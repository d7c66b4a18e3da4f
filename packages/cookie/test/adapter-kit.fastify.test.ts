import { startFastifyFixture } from '../../fastify/test/fixture-app.js';
import { defineCookieAdapterConformance } from './cookie-adapter-kit.js';

defineCookieAdapterConformance('fastify 5', (options) => startFastifyFixture(options));
