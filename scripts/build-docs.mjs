#!/usr/bin/env node
// The API reference in docs/api/: one Markdown page per public entry point of the package (the
// `exports` map of package.json), made by TypeDoc from the TSDoc in src/.
//
//   node scripts/build-docs.mjs           check: docs/api/ is what the sources give, and TypeDoc
//                                         has no warning (what `npm test` runs); writes nothing
//   node scripts/build-docs.mjs --write   rewrite docs/api/ (`npm run docs`)
//
// Both print every TypeDoc warning and exit 1 if there is one: a broken {@link}, a public type
// that refers to one the package does not export, or an export without a doc comment (every
// function, class, interface, type alias, variable and method; see REQUIRED_DOCS).
//
// Why Markdown written here and not TypeDoc's HTML: the reference is committed so that it reads
// on GitHub next to the README, and its diff shows in review what an API change did. TypeDoc
// reads the sources and resolves types and links; this file only lays the pages out. Why no
// line numbers in source links: any edit above an export would make the committed pages stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as td from 'typedoc';
import { createPageRenderer, deep, slug } from './lib/api-pages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'docs', 'api');

/** What each documented subpath is for: the first line of its page and of the index. */
const SUBPATHS = {
  '.': 'Pools of threads over one shared memory (`createPool`), WASI programs (`runWasi`), in-memory directories, and every error class.',
  './wasi': 'The WASI preview1 host on its own (`WasiHost`), its constants, and the directories a program can be given.',
  './errors': 'The error classes (`WeftError` and its subclasses, each with a stable `code`) and their serialization across threads.',
  './wasm-bindgen': 'Pools of threads for a Rust crate built with wasm-bindgen (`createBindgenPool`), with or without its wasm-bindgen-rayon pool.',
  './wasm-bindgen/thread': 'The body of a worker file of your own for `createBindgenPool({ createWorker })` (for bundlers).',
  './wasm-bindgen-rayon': 'A drop-in for wasm-bindgen-rayon\'s `workerHelpers.js`, and `startRayonPool` for plain ES modules.',
  './web-worker': 'The web\'s `Worker` and worker globals for Node.js, Deno and Bun (`installWebWorkers`), so threaded wasm glue written for browsers runs unchanged.',
  './rollup': 'A Rollup plugin that builds workers and copies the files modules load with `new URL(…, import.meta.url)`.',
  './esbuild': 'An esbuild plugin that builds workers and copies the files modules load with `new URL(…, import.meta.url)`.',
  './middleware': 'Cross-origin isolation headers for Node.js `http`, Connect and Express.',
  './vite': 'A Vite plugin: isolation headers for `vite` and `vite preview`, module workers, no pre-bundling of weft.',
  './isolation': 'Cross-origin isolation in the browser: why a page is not isolated, and a service worker for hosts that send no headers.',
  './examples': 'The small threaded module the quick start runs (`helloWasm`), shipped for trying weft out.',
};

/** Subpaths of the exports map that have no API to document, and why. */
const NOT_DOCUMENTED = {
  './wasm-bindgen-rayon/register': 'a module hook for `node --import`; it exports nothing',
  './web-worker/register': 'calls `installWebWorkers()` when imported (`node --import`, or a first import in Deno and Bun); it exports nothing',
  './isolation-sw.js': 'the service worker script itself; pages load it, nothing imports it',
  './package.json': 'the manifest',
};

/** Kinds that must have a doc comment (TypeDoc's notDocumented check). */
const REQUIRED_DOCS = ['Function', 'Class', 'Interface', 'TypeAlias', 'Variable', 'Enum', 'Method', 'Accessor'];

/**
 * Types that public types mention but the package does not export, on purpose: the parts of
 * Rollup's and esbuild's plugin APIs the plugins use (so weft needs neither's types).
 */
const INTENTIONALLY_NOT_EXPORTED = ['RollupContext', 'EsbuildBuild'];


const write = process.argv.includes('--write');
const unknownArgs = process.argv.slice(2).filter((arg) => arg !== '--write');
if (unknownArgs.length > 0) {
  console.error(`unknown argument ${unknownArgs[0]} (usage: build-docs.mjs [--write])`);
  process.exit(2);
}

// Why: TypeDoc prints a type from TypeScript's lib by its last name (`Memory`); in weft's API
// `WebAssembly.Memory` and `WebAssembly.Module` are clearer.
const typeString = td.ReferenceType.prototype.getTypeString;
td.ReferenceType.prototype.getTypeString = function getTypeString() {
  const text = typeString.call(this);
  return !this.reflection && this.qualifiedName?.startsWith('WebAssembly.') ? text.replace(this.name, this.qualifiedName) : text;
};

const pages = describePages(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports);
const entryPoints = [...new Set(pages.flatMap((page) => page.conditions.map((c) => c.source)))];

const app = await td.Application.bootstrap({
  entryPoints,
  tsconfig: join(root, 'tsconfig.json'),
  readme: 'none',
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  // Members in the order their source declares them (options, methods); pages sort exports.
  sort: ['source-order'],
  disableGit: true,
  sourceLinkTemplate: '{path}',
  // Why: TypeDoc's default is the folder common to every file it read, which is not the
  // checkout's when node_modules is a link to another folder (as in a git worktree).
  basePath: root,
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: true, unusedMergeModuleWith: true },
  requiredToBeDocumented: REQUIRED_DOCS,
  intentionallyNotExported: INTENTIONALLY_NOT_EXPORTED,
  logLevel: 'Warn',
});
const project = await app.convert();
if (!project) fail('TypeDoc could not convert the sources (see the errors above).');
app.validate(project);

const modulesBySource = new Map(project.children?.map((module) => [module.sources?.[0]?.fileName, module]) ?? []);
for (const page of pages) {
  for (const condition of page.conditions) {
    condition.module = modulesBySource.get(condition.source);
    if (!condition.module) fail(`TypeDoc made no module of ${condition.source} (${page.name})`);
  }
}
const homes = assignHomes(pages);
/** Problems this file finds while laying out (counted with TypeDoc's warnings). */
const layoutWarnings = [];
const { renderIndex, renderPage } = createPageRenderer({ homes, layoutWarnings, subpaths: SUBPATHS, notDocumented: NOT_DOCUMENTED });

const files = new Map([['README.md', renderIndex(pages)]]);
for (const page of pages) files.set(page.file, renderPage(page));
for (const warning of layoutWarnings) console.warn(`[warning] ${warning}`);
const warnings = app.logger.warningCount + app.logger.errorCount + layoutWarnings.length;

const existing = existsSync(outDir) ? readdirSync(outDir).filter((name) => name.endsWith('.md')) : [];
const stale = [
  ...[...files].filter(([name, text]) => !existing.includes(name) || readFileSync(join(outDir, name), 'utf8') !== text).map(([name]) => name),
  ...existing.filter((name) => !files.has(name)),
];
if (write) {
  mkdirSync(outDir, { recursive: true });
  for (const name of existing) if (!files.has(name)) rmSync(join(outDir, name));
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  console.log(stale.length > 0 ? `docs/api: rewrote ${stale.join(', ')}` : 'docs/api: already current');
} else if (stale.length > 0) {
  console.error(`docs/api is not what the sources give (${stale.join(', ')}): run \`npm run docs\` and commit docs/api/`);
}
if (warnings > 0) console.error(`${warnings} documentation warning(s), listed above`);
if (warnings > 0 || (!write && stale.length > 0)) process.exit(1);
if (!write) console.log(`docs/api is current: ${pages.length} entry points, no warnings`);

function fail(message) {
  console.error(message);
  process.exit(1);
}

/**
 * One page per documented subpath, with the source file of each export condition: `default`
 * (browsers, bundlers) first, then `node` where it differs. dist/x.js comes from src/x.ts.
 */
function describePages(exportsMap) {
  const undocumented = Object.keys(exportsMap).filter((subpath) => !(subpath in SUBPATHS) && !(subpath in NOT_DOCUMENTED) && !/\.(wasm|json)$/.test(subpath));
  if (undocumented.length > 0) fail(`package.json exports ${undocumented.join(', ')}: add it to SUBPATHS (or NOT_DOCUMENTED) in scripts/build-docs.mjs`);
  return Object.entries(SUBPATHS).map(([subpath, summary]) => {
    const target = exportsMap[subpath];
    if (target === undefined) fail(`scripts/build-docs.mjs documents ${subpath}, which package.json does not export`);
    const name = subpath === '.' ? 'weft' : `weft/${subpath.slice(2)}`;
    const conditions = [];
    for (const condition of ['default', 'node']) {
      const dist = typeof target === 'string' ? (condition === 'default' ? target : undefined) : jsOf(target[condition]);
      if (dist === undefined) continue;
      const source = dist.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
      if (!existsSync(join(root, source))) fail(`${name}: no source ${source} for ${dist}`);
      if (!conditions.some((c) => c.source === source)) conditions.push({ condition, source });
    }
    return { subpath, name, summary, file: `${name.replaceAll('/', '-')}.md`, conditions };
  });
}

function jsOf(target) {
  if (target === undefined || typeof target === 'string') return target;
  return jsOf(target.default ?? target.import);
}


/**
 * Each declaration is laid out once, on the page of the entry point nearest its source file
 * (`isolationHeaders`, from src/isolation/, on `weft/isolation` rather than `weft/middleware`;
 * the error classes on `weft/errors`), else on the first page (in SUBPATHS order) that exports
 * it; other pages link there. A condition's own version of a name (the `node` build's
 * `createPool`) is shown under the `default` one.
 */
function assignHomes(pageList) {
  const result = new Map();
  for (const page of pageList) {
    const folder = page.conditions[0].source.replace(/[^/]+$/, '');
    for (const { module } of page.conditions) {
      for (const child of module.children ?? []) {
        const target = deep(child);
        const file = target.sources?.[0]?.fileName ?? '';
        const nearness = file.startsWith(folder) ? folder.length : 0;
        const home = result.get(target.id);
        if (!home || nearness > home.nearness) result.set(target.id, { page, anchor: slug(target.name), nearness });
      }
    }
  }
  return result;
}
