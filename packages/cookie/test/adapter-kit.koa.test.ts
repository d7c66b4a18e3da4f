import Koa from 'koa';
import { startKoaFixture } from '../../koa/test/fixture-app.js';
import { defineCookieAdapterConformance } from './cookie-adapter-kit.js';

defineCookieAdapterConformance('koa 3', (options) => startKoaFixture(Koa, options));
