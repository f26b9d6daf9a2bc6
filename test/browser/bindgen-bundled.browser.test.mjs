// The wasm-bindgen-rayon swap through a bundler alias, in Chromium: an app worker that calls
// @jsquash/oxipng's own initThreadPool is bundled with esbuild, the glue's snippet aliased to
// 'weft/wasm-bindgen-rayon' (the esbuild form of the README's Vite and webpack configs).
import assert from 'node:assert/strict';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { openBrowser, REPO_ROOT, runPage, startRepoServer } from './harness.mjs';

const SNIPPET = /(^|\/)snippets\/wasm-bindgen-rayon-[0-9a-f]+\/src\/workerHelpers\.js$/;
const source = join(REPO_ROOT, 'test/fixtures/wasm-bindgen/bundled');
const out = join(REPO_ROOT, 'test-output/bundled');

/** What `resolve.alias` does in Vite, or NormalModuleReplacementPlugin in webpack. */
const aliasRayonHelper = {
  name: 'alias-wasm-bindgen-rayon',
  setup(esbuild) {
    esbuild.onResolve({ filter: SNIPPET }, (args) => esbuild.resolve('weft/wasm-bindgen-rayon', { kind: args.kind, resolveDir: REPO_ROOT }));
  },
};

let browser;
let server;

before(async () => {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: { 'app-worker': join(source, 'app-worker.mjs'), thread: join(source, 'thread.mjs') },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    plugins: [aliasRayonHelper],
    logLevel: 'warning',
  });
  await cp(join(source, 'index.html'), join(out, 'index.html'));
  server = await startRepoServer();
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

test('in Chromium: a bundled app calls oxipng\'s own initThreadPool(2) with the aliased helper; output identical to the single-threaded build', async () => {
  const outcome = await runPage(browser.context, `${server.url}/test-output/bundled/index.html`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.sizes.length, 3);
});
