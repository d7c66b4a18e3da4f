export type { AdapterConformanceOptions, AdapterFixture } from './adapter/adapter-options.js';
export { type FixtureResponse, fixtureErrorResponse, fixtureRoute } from './adapter/fixture-routes.js';
export { FixtureClient, type FixtureResponseSeen } from './adapter/http-client.js';
export { defineAdapterConformance } from './adapter-conformance.js';
