export type { AdapterConformanceOptions, AdapterFixture } from './adapter/adapter-options.js';
export { type FixtureResponse, fixtureErrorResponse, fixtureRoute } from './adapter/fixture-routes.js';
export { FixtureClient, type FixtureResponseSeen } from './adapter/http-client.js';
export { defineAdapterConformance } from './adapter-conformance.js';
export { type InstrumentedStore, instrumentStore } from './instrument-store.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export type { StoreConformanceOptions } from './store/options.js';
export { defineStoreConformance } from './store-conformance.js';
export { waitFor } from './wait-for.js';
