import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocs, formatFinding } from '../scripts/check-ts-blocks.mjs';
import { extractBlocks } from '../scripts/extract-ts-blocks.mjs';

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(docsDir, '..');
const fixtures = 'docs/test/fixtures';
// Under docs/ (not the system temp dir) so the generated modules resolve docs/'s dependencies.
const outDir = join(docsDir, '.generated', `test-${process.pid}`);

/** The 1-based line of the only line of `file` containing `marker`. */
function lineOf(file, marker) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found = lines.flatMap((text, i) => (text.includes(marker) ? [i + 1] : []));
  expect(found, `marker ${marker} in ${file}`).toHaveLength(1);
  return found[0];
}

describe('the documentation checker', () => {
  /** @type {ReturnType<typeof checkDocs>} */
  let result;
  beforeAll(() => {
    const files = [`${fixtures}/drift.md`, `${fixtures}/augmentation.md`];
    result = checkDocs({ root, files, outDir });
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const at = (file, marker) => {
    const line = lineOf(`${fixtures}/${file}`, marker);
    return result.findings.filter((f) => f.file === `${fixtures}/${file}` && f.line === line);
  };

  it('reports drift from the API at the markdown file and line of the block', () => {
    const [finding, ...more] = at('drift.md', '// DRIFT');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ code: 2339, column: 9 });
    expect(finding?.message).toContain("Property 'trySaveSync' does not exist");
    expect(formatFinding(finding)).toMatch(/^docs\/test\/fixtures\/drift\.md:\d+:9 - error TS2339: /);
  });

  it('reports a fragment used without the setup it needs', () => {
    expect(at('drift.md', 'MISSING-SETUP').map((f) => f.code)).toEqual([2304, 2304]);
  });

  it('reports an error inside a ts-setup comment at that comment line', () => {
    expect(at('drift.md', 'SETUP-TYPO').map((f) => f.code)).toEqual([2552]);
  });

  it('refuses casts (once per cast, `as const` allowed) and silenced errors', () => {
    expect(at('drift.md', 'CAST-ANY').map((f) => f.message)).toEqual([
      expect.stringContaining('cast (as any)'),
    ]);
    expect(at('drift.md', 'CAST-DOUBLE').map((f) => f.message)).toEqual([
      expect.stringContaining('cast (as string)'),
    ]);
    expect(at('drift.md', 'CAST-NARROW').map((f) => f.message)).toEqual([
      expect.stringContaining('cast (as number | undefined)'),
    ]);
    expect(at('drift.md', 'AS-CONST')).toEqual([]);
    expect(at('drift.md', 'SILENCED').map((f) => f.message)).toEqual([expect.stringContaining('@ts-ignore')]);
  });

  it('skips a block marked ts-skip with a reason, and refuses one without a reason', () => {
    const skipped = result.blocks.filter((b) => b.skip !== null).map((b) => b.skip);
    expect(skipped).toEqual(['shows the compile error a wrong value type gives', '']);
    expect(
      result.findings.some((f) => f.message.includes("'string' is not assignable to type 'number'")),
    ).toBe(false);
    const line = lineOf(`${fixtures}/drift.md`, 'SKIP-WITHOUT-REASON') - 2;
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        file: `${fixtures}/drift.md`,
        line,
        message: expect.stringContaining('reason'),
      }),
    );
  });

  it('refuses a ts-setup comment that is not followed by a block', () => {
    const line = lineOf(`${fixtures}/drift.md`, 'ORPHAN-SETUP') - 1;
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        file: `${fixtures}/drift.md`,
        line,
        message: expect.stringContaining('not followed'),
      }),
    );
  });

  it('refuses a misspelt directive instead of ignoring it', () => {
    const line = lineOf(`${fixtures}/drift.md`, 'TYPO-DIRECTIVE') - 1;
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        file: `${fixtures}/drift.md`,
        line,
        message: expect.stringContaining('unknown ts-'),
      }),
    );
  });

  it('keeps a module augmentation to the block that makes it', () => {
    expect(at('augmentation.md', 'allowed: the augmentation')).toEqual([]);
    expect(at('augmentation.md', 'AUGMENTED').map((f) => f.code)).toEqual([2345]);
  });

  it('serves a relative import from a // @filename: section of the setup', () => {
    expect(result.findings.filter((f) => f.file === `${fixtures}/augmentation.md`)).toHaveLength(1);
  });

  it('reports nothing else', () => {
    expect(result.findings).toHaveLength(12);
    expect(result.blocks.filter((b) => b.skip === null)).toHaveLength(10);
  });
});

describe('the command line', () => {
  const out = join(docsDir, '.generated', `test-cli-${process.pid}`);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('fails with the markdown location of a wrong block', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [join(docsDir, 'scripts/check-ts-blocks.mjs'), '--out', out, join(root, fixtures, 'wrong.md')],
      { cwd: docsDir },
    );
    const failure = await run.then(
      () => null,
      (error) => error,
    );
    expect(failure?.code).toBe(1);
    const line = lineOf(`${fixtures}/wrong.md`, '// WRONG');
    expect(failure?.stderr).toContain(`${fixtures}/wrong.md:${line}:27 - error TS2322:`);
    expect(failure?.stderr).toContain('1 TypeScript blocks checked in 1 files');
  }, 60_000);
});

describe('extraction', () => {
  it('finds fences nested in a list and ignores other languages', () => {
    const md = ['1. Step', '', '   ```ts', '   const a = 1;', '   ```', '', '```tsx', 'x', '```'].join('\n');
    const { blocks, errors } = extractBlocks(md, 'x.md');
    expect(errors).toEqual([]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.code).toEqual([{ text: 'const a = 1;', line: 4 }]);
  });
});
