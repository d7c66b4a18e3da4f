import express from 'express';
import { startExpressFixture } from '../../express/test/fixture-app.js';
import { defineCookieAdapterConformance } from './cookie-adapter-kit.js';

defineCookieAdapterConformance('express 5', (options) => startExpressFixture(express, options), {
  'a streamed response carries the cookie and the session is saved':
    'Express sends the headers of a streamed response at the first write, before the session is saved; a cookie session can only be sent with the headers, so what the handler writes to it while streaming cannot reach the client (buffered responses are fine)',
});
