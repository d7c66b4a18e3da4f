import { MemoryStore } from '@sess/memory';
import { defineAdapterConformance } from '@sess/testkit';
import express from 'express';
import { startExpressFixture } from './fixture-app.js';

defineAdapterConformance({
  name: 'express 5',
  createStore: () => new MemoryStore(),
  start: (options) => startExpressFixture(express, options),
});
