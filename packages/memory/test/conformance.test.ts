import { defineStoreConformance } from '@sess/testkit';
import { MemoryStore } from '../src/index.js';

defineStoreConformance({
  name: 'memory',
  createStore: ({ clock }) => new MemoryStore({ clock, sweepIntervalMs: 100 }),
});
