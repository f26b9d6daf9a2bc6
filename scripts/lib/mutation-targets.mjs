// What `npm run mutate` mutates and which tests can kill a mutant: the default source globs, the
// map from source folders to test files, and the import graph that tells whether a test file
// loads a source at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { globToRegExp } from './mutation-operators.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Sources mutated when no --files is given. */
export const DEFAULT_FILES = [
  'src/core/**/*.ts',
  'src/protocol/task-values.ts',
  'src/protocol/control-layout.ts',
  'src/wasi/**/*.ts',
  'src/wasi-threads/**/*.ts',
  'src/worker/thread-loop.ts',
];

/**
 * Which test files cover a source folder. A mutant runs the tests of the first entry whose
 * `sources` matches its path; a test file that appears later (new tests) is picked up by the
 * patterns. Why not every test: the whole suite takes minutes; these take seconds.
 */
export const TEST_MAP = [
  {
    sources: /^src\/(core|protocol|worker)\//,
    tests: [/^test\/unit\/(?!wasi-|mutate-).+\.test\.mjs$/, /^test\/node\/pool-.+\.test\.mjs$/],
    // These load weft in a child process, which the import graph does not show.
    always: [/^test\/node\/process-exit\.test\.mjs$/],
  },
  { sources: /^src\/wasi\//, tests: [/^test\/unit\/wasi-.+\.test\.mjs$/, /^test\/node\/wasi-.+\.test\.mjs$/] },
  { sources: /^src\/wasi-threads\//, tests: [/^test\/node\/wasi-.+\.test\.mjs$/, /^test\/node\/cli-run\.test\.mjs$/] },
];

export function walk(folder, base = root) {
  return readdirSync(join(base, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    return entry.isDirectory() ? walk(path, base) : [path];
  });
}

export function selectSources(globs) {
  const patterns = globs.map(globToRegExp);
  return walk('src').filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts') && patterns.some((p) => p.test(path))).sort();
}

/**
 * The mapped tests of `path` that reach it (`reach`: test file → the files it reaches). Why the
 * second filter: a test that never loads the mutated file cannot kill its mutant.
 */
export function mappedTestsFor(path, testFiles, reach) {
  const entry = TEST_MAP.find((candidate) => candidate.sources.test(path));
  if (entry === undefined) return [];
  const always = (file) => (entry.always ?? []).some((pattern) => pattern.test(file));
  return testFiles.filter((file) => always(file) || (entry.tests.some((pattern) => pattern.test(file)) && reach.get(file).has(path)));
}

/**
 * The files a module reaches through its static and dynamic imports, and through the
 * `new URL('…js', import.meta.url)` a worker is started from. Test files reach src through
 * dist/ paths and the package's own `weft/…` exports (node condition).
 */
export function reachable(base, starts) {
  const exportsMap = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')).exports;
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(join(base, path), 'utf8');
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
    for (const match of text.matchAll(/new URL\(\s*'([^']+\.js)',\s*import\.meta\.url\s*\)/g)) specifiers.push(match[1]);
    for (const specifier of specifiers) {
      const target = resolveSpecifier(path, specifier, exportsMap);
      if (target !== undefined && existsSync(join(base, target))) visit(target);
    }
  };
  for (const start of starts) visit(start);
  return seen;
}

function resolveSpecifier(from, specifier, exportsMap) {
  let target;
  if (specifier === 'weft' || specifier.startsWith('weft/')) {
    let entry = exportsMap[specifier === 'weft' ? '.' : `./${specifier.slice('weft/'.length)}`];
    while (entry !== undefined && typeof entry !== 'string') entry = entry.node ?? entry.default;
    if (entry === undefined) return undefined;
    target = entry.slice(2);
  } else if (specifier.startsWith('.')) {
    target = join(dirname(from), specifier);
  } else {
    return undefined;
  }
  // dist/X.js was compiled from src/X.ts: follow the source, whose imports are the same.
  if (target.startsWith('dist/')) target = `src/${target.slice('dist/'.length)}`;
  if (target.startsWith('src/')) target = target.replace(/\.js$/, '.ts');
  return target;
}
