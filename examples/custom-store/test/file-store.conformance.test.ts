import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStoreConformance } from '@sess/testkit';
import { afterAll } from 'vitest';
import { FileStore } from '../src/file-store.js';

const root = mkdtempSync(join(tmpdir(), 'sess-file-store-'));
let suite = 0;
let current = root;
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The whole conformance kit, in one call: this is all a store author writes to prove a store.
defineStoreConformance({
  name: 'file (examples/custom-store)',
  createStore: () => {
    current = join(root, String(suite++));
    return new FileStore({ directory: current });
  },
  inspect: { exists: async (id) => existsSync(join(current, `${id}.json`)) },
  corrupt: async (id) => writeFileSync(join(current, `${id}.json`), '{"createdAt": "not a number"'),
  scale: 10_000,
});
