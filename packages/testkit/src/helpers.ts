export { type InstrumentedStore, instrumentStore } from './instrument-store.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { waitFor } from './wait-for.js';
