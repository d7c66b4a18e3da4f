// Typechecks every ```ts block of README.md, docs/*.md and packages/*/README.md against the packages
// as built (strict, as tsconfig.base.json), and reports each error at its markdown file and line.
// Equivalent to `tsc --noEmit -p` on each tsconfig written under docs/.generated/, run in one process
// so the library files are parsed once.
// Usage: node scripts/check-ts-blocks.mjs [--out docs/.generated/dir] [file.md ...]

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { extractBlocks, writeBlocks } from './extract-ts-blocks.mjs';

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{ file: string, line: number, column: number, message: string, code?: number }} Finding
 */

/** The markdown files whose blocks are checked, relative to `root`. */
export function documentationFiles(root) {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'docs')).sort()) {
    if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    if (existsSync(join(root, 'packages', name, 'README.md'))) files.push(`packages/${name}/README.md`);
  }
  return files;
}

/**
 * Extracts the blocks of `files` (relative to `root`) into `outDir` and typechecks them.
 * @param {{ root: string, files: string[], outDir: string, baseTsconfig?: string, installed?: string[] }} options
 *   `installed`: the packages the project is taken to use (default: those the blocks import)
 * @returns {{ blocks: import('./extract-ts-blocks.mjs').Block[], findings: Finding[] }}
 */
export function checkDocs({
  root,
  files,
  outDir,
  baseTsconfig = join(docsDir, 'tsconfig.blocks.json'),
  installed,
}) {
  /** @type {Finding[]} */
  const findings = [];
  const blocks = [];
  for (const file of files) {
    const extracted = extractBlocks(readFileSync(join(root, file), 'utf8'), file);
    blocks.push(...extracted.blocks);
    findings.push(...extracted.errors);
  }
  const { programs, errors } = writeBlocks(blocks, {
    outDir,
    baseTsconfig,
    installed: installed ?? importedPackages(blocks),
  });
  findings.push(...errors);

  /** @type {Map<string, { file: string, lines: number[], block: import('./extract-ts-blocks.mjs').Block }>} */
  const origins = new Map();
  for (const program of programs) {
    for (const { block, main, extra } of program.blocks) {
      for (const g of [main, ...extra])
        origins.set(resolve(g.path), { file: block.file, lines: g.lines, block });
    }
  }
  const host = cachingHost();
  /** @type {ts.Program | undefined} */
  let previous;
  for (const { tsconfig, blocks: members } of programs) {
    if (members.length === 0) continue;
    const config = ts.getParsedCommandLineOfConfigFile(
      tsconfig,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (!config) throw new Error(`cannot read ${tsconfig}`);
    const program = ts.createProgram({
      rootNames: config.fileNames,
      options: config.options,
      host,
      ...(previous ? { oldProgram: previous } : {}),
    });
    previous = program;
    for (const d of [...config.errors, ...ts.getPreEmitDiagnostics(program)]) {
      findings.push(locate(d, origins, root));
    }
    for (const { main } of members) {
      const source = program.getSourceFile(main.path);
      if (source) findings.push(...castsIn(source, origins.get(resolve(main.path))));
    }
  }
  return { blocks, findings };
}

/**
 * The packages the blocks import (setups included): the project they describe has them installed and
 * used somewhere, which is what a block that only augments a module needs.
 * @param {import('./extract-ts-blocks.mjs').Block[]} blocks
 */
function importedPackages(blocks) {
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'".][^'"]*)['"]/g;
  const found = new Set();
  for (const block of blocks) {
    const lines = [...(block.setup ?? []), ...block.code];
    for (const { text } of lines) {
      for (const match of text.matchAll(specifier)) {
        if (match[1] && !match[1].startsWith('node:')) found.add(match[1]);
      }
    }
  }
  return [...found].sort();
}

/** A compiler host that parses each library file once for all programs. */
function cachingHost() {
  const options = ts.getDefaultCompilerOptions();
  const host = ts.createCompilerHost(options);
  const cache = new Map();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes(`${sep}node_modules${sep}`) && !fileName.includes('/node_modules/')) {
      return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    }
    const key = `${fileName}|${JSON.stringify(languageVersion)}`;
    let file = cache.get(key);
    if (file === undefined) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      cache.set(key, file);
    }
    return file;
  };
  return host;
}

/** Maps a diagnostic in a generated file back to the markdown line it came from. */
function locate(diagnostic, origins, root) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const code = diagnostic.code;
  if (!diagnostic.file || diagnostic.start === undefined) {
    return { file: '(tsconfig)', line: 0, column: 0, message, code };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const origin = origins.get(resolve(diagnostic.file.fileName));
  if (!origin) {
    return {
      file: relative(root, diagnostic.file.fileName),
      line: line + 1,
      column: character + 1,
      message,
      code,
    };
  }
  return {
    file: origin.file,
    line: origin.lines[line] || origin.block.line,
    column: character + 1,
    message,
    code,
  };
}

/**
 * Casts: every type assertion but `as const` (a cast makes a block compile whatever the API says,
 * which is the drift this check exists to catch; typed data comes from augmenting SessionData or a
 * type parameter), and comments that silence the compiler. Setup lines may not cast either.
 */
function castsIn(source, origin) {
  if (!origin) return [];
  /** @type {Finding[]} */
  const found = [];
  const report = (pos, message) => {
    const { line, character } = source.getLineAndCharacterOfPosition(pos);
    found.push({
      file: origin.file,
      line: origin.lines[line] || origin.block.line,
      column: character + 1,
      message,
    });
  };
  const visit = (node) => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && !isConstAssertion(node)) {
      report(
        node.getStart(source),
        `cast (as ${node.type.getText(source)}) in a documentation block: show code that typechecks without` +
          ' one (augment SessionData, pass a type parameter, or convert the value)',
      );
      // `x as unknown as T` is one cast to report, not two.
      let inner = node.expression;
      while (
        ts.isParenthesizedExpression(inner) ||
        ts.isAsExpression(inner) ||
        ts.isTypeAssertionExpression(inner)
      ) {
        inner = inner.expression;
      }
      ts.forEachChild(inner, visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const silencer = /\/\/\s*@ts-(ignore|expect-error|nocheck)\b/g;
  for (const match of source.text.matchAll(silencer)) {
    report(
      match.index ?? 0,
      `@ts-${match[1]} in a documentation block: mark the block <!-- ts-skip: reason --> instead`,
    );
  }
  return found;
}

/** `as const` only narrows a literal; it cannot hide a wrong API. */
function isConstAssertion(node) {
  return (
    ts.isTypeReferenceNode(node.type) &&
    ts.isIdentifier(node.type.typeName) &&
    node.type.typeName.text === 'const'
  );
}

/** @param {Finding} f */
export function formatFinding(f) {
  return `${f.file}:${f.line}:${f.column} - error${f.code ? ` TS${f.code}` : ''}: ${f.message}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(docsDir, '..');
  const args = process.argv.slice(2);
  const out = args.indexOf('--out');
  // The generated modules must sit under docs/ so that they resolve the packages docs/ depends on.
  const outDir = out === -1 ? join(docsDir, '.generated', 'blocks') : resolve(args.splice(out, 2)[1] ?? '');
  const files = args.length > 0 ? args.map((f) => relative(root, resolve(f))) : documentationFiles(root);
  const { blocks, findings } = checkDocs({ root, files, outDir });
  for (const finding of findings) console.error(formatFinding(finding));
  const checked = blocks.filter((b) => b.skip === null);
  const summary =
    `${checked.length} TypeScript blocks checked in ${files.length} files` +
    ` (${checked.filter((b) => b.setup !== null || b.extraFiles.length > 0).length} with a ts-setup comment,` +
    ` ${checked.filter((b) => b.isolated).length} in their own program, ${blocks.length - checked.length} skipped)`;
  if (findings.length > 0) {
    console.error(`\n${findings.length} error(s). ${summary}`);
    process.exit(1);
  }
  console.log(summary);
}
