import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import { startHonoFixture } from './fixture-apps.js';

defineAdapterConformance({
  name: 'fetch (Hono middleware)',
  createStore: () => new MemoryStore(),
  start: (options) => startHonoFixture(options),
});
