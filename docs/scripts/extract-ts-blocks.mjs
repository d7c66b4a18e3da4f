// Extracts the ```ts blocks of markdown files and writes each as its own module, so the compiler
// checks the documentation against the real packages. Locations are kept so that every error can be
// reported at the markdown line it comes from.
//
// A block may be preceded (blank lines allowed in between) by one invisible comment:
//
//   <!-- ts-setup
//   import express from 'express';
//   declare const repository: import('@sess/core').SessionRepository;
//   -->
//
// whose lines are prepended to that block only. Inside a setup, a line `// @filename: ../src/x.ts`
// starts a separate file written next to the block (for relative imports a block shows), as in
// TypeScript's own twoslash format. Or, for a block that must not compile (one showing an error):
//
//   <!-- ts-skip: the reason -->

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const TS_LANGUAGES = new Set(['ts', 'typescript']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)?.*$/;
const SETUP_OPEN = /^\s*<!--\s*ts-setup\s*$/;
const SKIP = /^\s*<!--\s*ts-skip\s*(?::\s*(.*?))?\s*-->\s*$/;
/** Anything else that looks like a directive is a typo, which would otherwise be ignored. */
const DIRECTIVE = /^\s*<!--\s*ts-/;
const FILENAME = /^\s*\/\/\s*@filename:\s*(\S+)\s*$/;
/** A block that augments a module or the global scope gets its own program, so it affects no other. */
const AUGMENTS = /\bdeclare\s+(module\s+['"]|global\b)/;

/**
 * @typedef {{ text: string, line: number }} SourceLine   one line and its 1-based markdown line
 * @typedef {{ path: string, lines: SourceLine[] }} ExtraFile   a setup file, path relative to the block
 * @typedef {{
 *   file: string, line: number, code: SourceLine[], setup: SourceLine[] | null,
 *   extraFiles: ExtraFile[], skip: string | null, isolated: boolean
 * }} Block
 * @typedef {{ file: string, line: number, column: number, message: string }} ExtractError
 */

/**
 * Finds the TypeScript blocks of one markdown text.
 * @param {string} markdown
 * @param {string} file the path reported in locations (relative to the repository root)
 * @returns {{ blocks: Block[], errors: ExtractError[] }}
 */
export function extractBlocks(markdown, file) {
  const lines = markdown.split(/\r?\n/);
  /** @type {Block[]} */
  const blocks = [];
  /** @type {ExtractError[]} */
  const errors = [];
  /** @type {{ kind: 'setup', lines: SourceLine[], line: number } | { kind: 'skip', reason: string, line: number } | null} */
  let pending = null;
  const orphan = () => {
    if (pending === null) return;
    const what = pending.kind === 'setup' ? 'ts-setup' : 'ts-skip';
    errors.push({
      file,
      line: pending.line,
      column: 1,
      message: `${what} comment is not followed by a \`\`\`ts block`,
    });
    pending = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const fence = FENCE.exec(text);
    if (fence) {
      const [, indent = '', marker = '', lang = ''] = fence;
      const start = i;
      const body = [];
      for (i++; i < lines.length; i++) {
        const closing = (lines[i] ?? '').trim();
        if (closing.startsWith(marker) && /^([`~])\1*$/.test(closing) && closing[0] === marker[0]) break;
        body.push({ text: stripIndent(lines[i] ?? '', indent.length), line: i + 1 });
      }
      if (!TS_LANGUAGES.has(lang.toLowerCase())) {
        orphan();
        continue;
      }
      const setup = pending?.kind === 'setup' ? splitSetup(pending.lines, file, errors) : null;
      const skip = pending?.kind === 'skip' ? pending.reason : null;
      pending = null;
      const all = [...(setup?.prefix ?? []), ...body, ...(setup?.files.flatMap((f) => f.lines) ?? [])];
      blocks.push({
        file,
        line: start + 1,
        code: body,
        setup: setup?.prefix ?? null,
        extraFiles: setup?.files ?? [],
        skip,
        isolated: all.some((l) => AUGMENTS.test(l.text)),
      });
      continue;
    }
    if (SETUP_OPEN.test(text)) {
      orphan();
      const open = i + 1;
      const content = [];
      for (i++; i < lines.length && !(lines[i] ?? '').includes('-->'); i++) {
        content.push({ text: lines[i] ?? '', line: i + 1 });
      }
      const last = (lines[i] ?? '').split('-->')[0] ?? '';
      if (i >= lines.length) {
        errors.push({ file, line: open, column: 1, message: 'ts-setup comment is not closed' });
      } else if (last.trim() !== '') {
        content.push({ text: last, line: i + 1 });
      }
      pending = { kind: 'setup', lines: content, line: open };
      continue;
    }
    const skip = SKIP.exec(text);
    if (skip) {
      orphan();
      const reason = skip[1] ?? '';
      if (reason === '') {
        errors.push({
          file,
          line: i + 1,
          column: 1,
          message: 'ts-skip needs a reason: <!-- ts-skip: why -->',
        });
      }
      pending = { kind: 'skip', reason, line: i + 1 };
      continue;
    }
    if (DIRECTIVE.test(text)) {
      errors.push({
        file,
        line: i + 1,
        column: 1,
        message:
          'unknown ts- comment: write "<!-- ts-setup" (content on the next lines) or "<!-- ts-skip: why -->"',
      });
    }
    if (text.trim() !== '') orphan();
  }
  orphan();
  return { blocks, errors };
}

/** Removes up to `width` leading spaces, the indentation of a fence nested in a list. */
function stripIndent(text, width) {
  let n = 0;
  while (n < width && text[n] === ' ') n++;
  return text.slice(n);
}

/**
 * Splits a setup into the lines prepended to the block and the `// @filename:` files.
 * @param {SourceLine[]} lines
 * @param {string} file
 * @param {ExtractError[]} errors
 */
function splitSetup(lines, file, errors) {
  /** @type {SourceLine[]} */
  const prefix = [];
  /** @type {ExtraFile[]} */
  const files = [];
  let target = prefix;
  for (const line of lines) {
    const named = FILENAME.exec(line.text);
    if (named) {
      const path = named[1] ?? '';
      if (!/\.(ts|d\.ts)$/.test(path)) {
        errors.push({ file, line: line.line, column: 1, message: `@filename must name a .ts file: ${path}` });
      }
      target = [];
      files.push({ path, lines: target });
    } else {
      target.push(line);
    }
  }
  return { prefix, files };
}

/**
 * A generated file and, for each of its lines, the markdown line it came from (0 for added lines).
 * @typedef {{ path: string, source: string, lines: number[] }} GeneratedFile
 * @typedef {{ block: Block, main: GeneratedFile, extra: GeneratedFile[] }} GeneratedBlock
 * @typedef {{ tsconfig: string, blocks: GeneratedBlock[] }} Program
 */

/**
 * Writes every block that is not skipped as its own module under `outDir` (emptied first), with a
 * tsconfig per program: one for all plain blocks, one for each block that augments a module.
 * Every program also holds a file importing `installed` (types only), as a project that has those
 * packages installed and used somewhere: a module augmentation needs its module in the program.
 * @param {Block[]} blocks
 * @param {{ outDir: string, baseTsconfig: string, installed: string[] }} options
 * @returns {{ programs: Program[], errors: ExtractError[] }}
 */
export function writeBlocks(blocks, { outDir, baseTsconfig, installed }) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const packages = join(outDir, 'installed-packages.ts');
  writeFileSync(packages, installed.map((name) => `import type {} from '${name}';\n`).join(''));
  /** @type {ExtractError[]} */
  const errors = [];
  /** @type {GeneratedBlock[]} */
  const shared = [];
  /** @type {Program[]} */
  const programs = [];
  for (const block of blocks) {
    if (block.skip !== null) continue;
    const slug = `${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}`;
    const dir = join(outDir, slug, 'block');
    const header = `// ${block.file}:${block.line}${block.setup ? ' (with its ts-setup comment)' : ''}`;
    const main = generated(join(dir, 'index.ts'), header, [...(block.setup ?? []), ...block.code]);
    const extra = [];
    for (const file of block.extraFiles) {
      const path = resolve(dir, file.path);
      if (!path.startsWith(join(outDir, slug) + sep)) {
        errors.push({
          file: block.file,
          line: (file.lines[0]?.line ?? block.line + 1) - 1,
          column: 1,
          message: `@filename ${file.path} leaves the block's folder`,
        });
        continue;
      }
      extra.push(generated(path, `// ${block.file}: @filename ${file.path}`, file.lines));
    }
    const entry = { block, main, extra };
    if (block.isolated) {
      const tsconfig = writeTsconfig(join(outDir, slug), baseTsconfig, [packages, main.path]);
      programs.push({ tsconfig, blocks: [entry] });
    } else {
      shared.push(entry);
    }
  }
  programs.unshift({
    tsconfig: writeTsconfig(outDir, baseTsconfig, [packages, ...shared.map((b) => b.main.path)]),
    blocks: shared,
  });
  return { programs, errors };
}

/** @returns {GeneratedFile} */
function generated(path, header, lines) {
  mkdirSync(dirname(path), { recursive: true });
  const source = [header, ...lines.map((l) => l.text), ''].join('\n');
  writeFileSync(path, source);
  return { path, source, lines: [0, ...lines.map((l) => l.line), 0] };
}

function writeTsconfig(dir, baseTsconfig, files) {
  const path = join(dir, 'tsconfig.json');
  const config = {
    extends: relative(dir, baseTsconfig).split(sep).join('/'),
    files: files.map((f) => relative(dir, f).split(sep).join('/')),
  };
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}
