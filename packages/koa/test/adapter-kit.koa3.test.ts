import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import Koa from 'koa';
import { startKoaFixture } from './fixture-app.js';

defineAdapterConformance({
  name: 'koa 3',
  createStore: () => new MemoryStore(),
  start: (options) => startKoaFixture(Koa, options),
});
