import { describe } from 'vitest';
import type { AdapterConformanceOptions } from './adapter/adapter-options.js';
import { concurrencySuite } from './adapter/concurrency.suite.js';
import { cookieSuite } from './adapter/cookie.suite.js';
import { failureSuite } from './adapter/failure.suite.js';
import { handlerErrorSuite } from './adapter/handler-error.suite.js';
import { headerSuite } from './adapter/header.suite.js';
import { lifecycleSuite } from './adapter/lifecycle.suite.js';

/**
 * Registers the adapter kit: drives the adapter's fixture app over real HTTP and checks every
 * behaviour users rely on (cookies, no needless writes, rotation, destroy, rolling expiry, header ids,
 * forbidden creation, hostile cookies, store failures, a throwing handler, concurrency).
 */
export function defineAdapterConformance(options: AdapterConformanceOptions): void {
  describe(`@sess adapter conformance: ${options.name}`, () => {
    cookieSuite(options);
    lifecycleSuite(options);
    headerSuite(options);
    failureSuite(options);
    handlerErrorSuite(options);
    concurrencySuite(options);
  });
}
