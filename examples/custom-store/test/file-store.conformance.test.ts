import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStoreConformance } from '@sess/testkit/store';
import { afterAll } from 'vitest';
import { FileStore } from '../src/file-store.js';

const root = mkdtempSync(join(tmpdir(), 'sess-file-store-'));
// A plain file where the store expects a directory: nothing can be read or written under it.
const blocker = join(root, 'not-a-directory');
writeFileSync(blocker, '');
const directories = new WeakMap<FileStore, string>();
let suite = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fileOf = (store: FileStore, id: string) => join(directories.get(store)!, `${id}.json`);

// The whole conformance kit, in one call: this is all a store author writes to prove a store.
defineStoreConformance({
  name: 'file (examples/custom-store)',
  createStore: () => {
    const directory = join(root, String(suite++));
    const store = new FileStore({ directory });
    directories.set(store, directory);
    return store;
  },
  inspect: { exists: async (store, id) => existsSync(fileOf(store, id)) },
  corrupt: async (store, id, kind) => {
    if (kind === 'unreadable') {
      writeFileSync(fileOf(store, id), '{"createdAt": "not a number"');
      return;
    }
    // out-of-range: a well-formed file whose idle timeout no session can have.
    const contents = JSON.parse(readFileSync(fileOf(store, id), 'utf8')) as Record<string, unknown>;
    writeFileSync(fileOf(store, id), JSON.stringify({ ...contents, maxInactiveMs: 2 ** 63 }));
  },
  createUnavailable: () => new FileStore({ directory: join(blocker, 'sessions') }),
  scale: 10_000,
});
