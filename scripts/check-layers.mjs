#!/usr/bin/env node
// The layering rule of docs/architecture.md, checked: each folder of src/ imports only from the
// folders above it in the table under "## Layers" (folders in one row are one layer, and a folder
// may import from itself); the top-level src/*.ts entries come after every row, so they may import
// anything and nothing may import them. Also refused: any import cycle between files.
//
//   node scripts/check-layers.mjs [root]   root holds src/ and docs/architecture.md (default: this repository)
//
// Every relative import of src/**/*.ts counts: `import` and `import type`, `export … from`, and
// `import('…')` with a literal (also in type positions). Prints each upward import
// (file:line → target, and the two layers) and each cycle (one path round it), then a summary;
// exits 1 if there is any, 2 when the table or src/ cannot be read.
//
// Why TypeScript's preProcessFile rather than a regular expression: it skips comments and
// strings, and the TSDoc of the entry points is full of `import { … } from 'weft/…'` examples.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const SRC = path.join(ROOT, 'src');
const TABLE = path.join(ROOT, 'docs', 'architecture.md');
/** The layer of the top-level src/*.ts entries: after every row of the table. */
const ENTRIES = { name: 'src/*.ts entries', rank: Number.POSITIVE_INFINITY };

try {
  process.exitCode = main();
} catch (error) {
  console.error(`check-layers: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}

function main() {
  const layers = readLayers(TABLE);
  const files = listSources(SRC);
  const problems = [];
  /** @type {Map<string, { target: string, line: number }[]>} */
  const graph = new Map();
  for (const file of files) {
    const imports = importsOf(file);
    graph.set(file, imports);
    const from = layerOf(layers, file);
    if (from === undefined) {
      problems.push(`${rel(file)}: its folder is not in the table of ${rel(TABLE)}; add it there`);
      continue;
    }
    for (const { target, line } of imports) {
      const to = layerOf(layers, target);
      if (to === undefined || to.rank <= from.rank) continue;
      problems.push(`upward import: ${rel(file)}:${line} → ${rel(target)} (${from.name} may not import from ${to.name}, which comes after it)`);
    }
  }
  const cycles = findCycles(graph);
  for (const cycle of cycles) problems.push(`import cycle: ${cycle.map(rel).join(' → ')}`);

  for (const problem of problems) console.log(problem);
  const upward = problems.filter((problem) => problem.startsWith('upward')).length;
  const summary = `${files.length} files, ${layers.length} layers: ${upward} upward import(s), ${cycles.length} import cycle(s)`;
  if (problems.length === 0) {
    console.log(`check-layers: ok (${summary})`);
    return 0;
  }
  console.log(`check-layers: FAILED (${summary}${problems.length > upward + cycles.length ? ', and files outside the table' : ''}); see the layering rule in ${rel(TABLE)}`);
  return 1;
}

/**
 * The layers in the order of the table under "## Layers": the first cell of each row names the
 * folders (`core/`, or `runtime/node`, `runtime/browser` for one layer of two folders).
 * @returns {{ name: string, folders: string[], rank: number }[]}
 */
function readLayers(tablePath) {
  if (!existsSync(tablePath)) throw new Error(`${tablePath} does not exist`);
  const text = readFileSync(tablePath, 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('Layers'));
  if (section === undefined) throw new Error(`${tablePath} has no "## Layers" section`);
  const layers = [];
  for (const row of section.split('\n').filter((line) => line.startsWith('|'))) {
    const firstCell = row.split('|')[1] ?? '';
    const folders = [...firstCell.matchAll(/`([^`]+)`/g)].map((match) => match[1].replace(/\/+$/, ''));
    if (folders.length === 0) continue; // the header and its rule
    layers.push({ name: folders.join(', '), folders, rank: layers.length });
  }
  if (layers.length === 0) throw new Error(`the "## Layers" section of ${tablePath} has no table of folders`);
  return layers;
}

/** Every .ts file below `dir` (declaration files included), sorted. */
function listSources(dir) {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** The layer of a file under src/: the row whose folder holds it (the longest match), or the entries' layer. */
function layerOf(layers, file) {
  const relative = path.relative(SRC, file).split(path.sep).join('/');
  if (!relative.includes('/')) return ENTRIES;
  let best;
  let bestLength = -1;
  for (const layer of layers) {
    for (const folder of layer.folders) {
      if (relative.startsWith(`${folder}/`) && folder.length > bestLength) {
        best = layer;
        bestLength = folder.length;
      }
    }
  }
  return best;
}

/**
 * The files of src/ that `file` imports, with the line of each import. Only relative specifiers
 * name files of src/; `./x.js` is the source `./x.ts` (TypeScript's NodeNext convention).
 * @returns {{ target: string, line: number }[]}
 */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const lineStarts = ts.computeLineStarts(text);
  const found = [];
  for (const { fileName, pos } of importedFiles) {
    if (!fileName.startsWith('./') && !fileName.startsWith('../')) continue;
    const target = resolveSource(path.resolve(path.dirname(file), fileName));
    if (target === undefined) continue; // not a source file (e.g. a bundled asset): tsc judges it
    found.push({ target, line: ts.computeLineAndCharacterOfPosition(lineStarts, pos).line + 1 });
  }
  return found;
}

function resolveSource(specifierPath) {
  const stem = specifierPath.replace(/\.(m?js|ts)$/, '');
  return [`${stem}.ts`, `${stem}.d.ts`, path.join(specifierPath, 'index.ts')].find((candidate) => existsSync(candidate));
}

/**
 * One cycle (a path that ends where it starts) for every strongly connected group of files
 * (Tarjan's algorithm), and for every file that imports itself; sorted by their first file.
 * @param {Map<string, { target: string }[]>} graph
 */
function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const groups = [];
  let next = 0;
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const { target } of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      const importsItself = (graph.get(file) ?? []).some(({ target }) => target === file);
      if (group.length > 1 || importsItself) groups.push(group);
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return groups.map((group) => cycleThrough(graph, new Set(group))).sort((a, b) => a[0].localeCompare(b[0]));
}

/** A shortest path from the group's first file (by name) back to itself, inside the group. */
function cycleThrough(graph, group) {
  const start = [...group].sort()[0];
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const { target } of graph.get(file) ?? []) {
      if (!group.has(target)) continue;
      if (target === start) {
        const way = [];
        for (let at = file; at !== start; at = previous.get(at)) way.unshift(at);
        return [start, ...way, start];
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

function rel(file) {
  return path.relative(ROOT, file).split(path.sep).join('/');
}
