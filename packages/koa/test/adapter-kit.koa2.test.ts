import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import type Koa from 'koa';
// Koa 2 installed under an alias; the API used here is the same, so Koa 3's types serve.
import Koa2 from 'koa2';
import { startKoaFixture } from './fixture-app.js';

defineAdapterConformance({
  name: 'koa 2',
  createStore: () => new MemoryStore(),
  start: (options) => startKoaFixture(Koa2 as unknown as new () => Koa, options),
});
