import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import { startFastifyFixture } from './fixture-app.js';

defineAdapterConformance({
  name: 'fastify 5',
  createStore: () => new MemoryStore(),
  start: (options) => startFastifyFixture(options),
});
