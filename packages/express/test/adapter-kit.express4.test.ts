import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import type { Express } from 'express';
// Express 4 installed under an alias; its API used here is the same, so Express 5's types serve.
import express4 from 'express4';
import { startExpressFixture } from './fixture-app.js';

defineAdapterConformance({
  name: 'express 4',
  createStore: () => new MemoryStore(),
  start: (options) => startExpressFixture(express4 as unknown as () => Express, options),
});
