import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The package as it is published (dist, built before tests run): helpers load in plain Node, without
 * vitest running, from ESM and CommonJS; every subpath is in the exports map.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs plain Node in the package directory (so `@sess/testkit` self-resolves); output captured. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    stdio: 'pipe',
  });
}

describe('published shape', () => {
  it('the root entry registers suites, so outside vitest it refuses to load (helpers have their own subpaths)', () => {
    expect(() => node(['-e', "require('@sess/testkit')"]), 'root import outside vitest').toThrow(/Vitest/);
  });

  it('exports the root, store, adapter, clock and helpers subpaths', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    expect(Object.keys(manifest.exports).sort()).toEqual(
      ['.', './adapter', './clock', './helpers', './package.json', './store'].sort(),
    );
  });

  for (const subpath of ['clock', 'helpers'] as const) {
    it(`@sess/testkit/${subpath} loads in plain Node (ESM and CommonJS), without vitest`, () => {
      // Outside its runner, vitest throws as soon as it is imported ("failed to access its internal
      // state"; require() refuses it outright), so loading at all proves the helper does not import it.
      const check = `const clock = m.createManualClock(1000); clock.advance(5);
        if (clock.now() !== 1005) throw new Error('manual clock');`;
      const esm = node([
        '--input-type=module',
        '-e',
        `const m = await import('@sess/testkit/${subpath}'); ${check} console.log(Object.keys(m).join(','));`,
      ]);
      const cjs = node([
        '-e',
        `const m = require('@sess/testkit/${subpath}'); ${check} console.log(Object.keys(m).join(','));`,
      ]);
      const expected =
        subpath === 'clock' ? 'createManualClock' : 'createManualClock,instrumentStore,waitFor';
      expect(esm.trim()).toBe(expected);
      expect(cjs.trim()).toBe(expected);
    });
  }
});
