export { type InstrumentedStore, instrumentStore } from './instrument-store.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export type { StoreConformanceOptions } from './store/options.js';
export { defineStoreConformance } from './store-conformance.js';
export { waitFor } from './wait-for.js';
