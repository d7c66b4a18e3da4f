import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import { startPlainFixture } from './fixture-apps.js';

defineAdapterConformance({
  name: 'fetch (withSession behind node:http)',
  createStore: () => new MemoryStore(),
  start: (options) => startPlainFixture(options),
});
