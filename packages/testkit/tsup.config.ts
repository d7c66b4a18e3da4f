import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per published subpath. clock and helpers import nothing from vitest, so they load in
  // plain Node; the root, store and adapter entries register vitest suites.
  entry: ['src/index.ts', 'src/store.ts', 'src/adapter.ts', 'src/clock.ts', 'src/helpers.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
