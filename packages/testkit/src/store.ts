export { createManualClock, type ManualClock } from './manual-clock.js';
export type { CorruptionKind, StoreConformanceOptions } from './store/options.js';
export { defineStoreConformance } from './store-conformance.js';
