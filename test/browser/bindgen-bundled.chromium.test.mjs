// The wasm-bindgen-rayon swap through a bundler alias, in Chromium: a small app whose worker
// calls @jsquash/oxipng's own initThreadPool is built with esbuild, Vite and webpack from
// test/fixtures/wasm-bindgen/bundled/ (the Vite and webpack configs there are the README's),
// served with the isolation headers, and must give the single-threaded build's bytes. The app
// is set up as a user's would be: its own folder, with weft and @jsquash/oxipng in node_modules.
import assert from 'node:assert/strict';
import { cp, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import * as vite from 'vite';
import webpack from 'webpack';
import { assertPageOk, openBrowser, REPO_ROOT, runPage, startRepoServer } from './harness.mjs';

const SNIPPET = /(^|\/)snippets\/wasm-bindgen-rayon-[0-9a-f]+\/src\/workerHelpers\.js$/;
const fixture = join(REPO_ROOT, 'test/fixtures/wasm-bindgen/bundled');
const outRoot = join(REPO_ROOT, 'test-output/bundled');
const source = join(outRoot, 'app');

/** The app folder: the fixture's files, and node_modules with weft (this repository) and a copy of @jsquash/oxipng. */
async function setUpApp() {
  await rm(source, { recursive: true, force: true });
  await cp(fixture, source, { recursive: true });
  await cp(join(REPO_ROOT, 'test/shared/png-images.mjs'), join(source, 'png-images.mjs'));
  await mkdir(join(source, 'node_modules/@jsquash'), { recursive: true });
  // Why a copy: bundlers resolve symlinks to real paths, and from the real path of a symlinked
  // package 'weft' would not be found; a user's node_modules holds real folders too.
  await cp(join(REPO_ROOT, 'node_modules/@jsquash/oxipng'), join(source, 'node_modules/@jsquash/oxipng'), { recursive: true });
  await symlink(REPO_ROOT, join(source, 'node_modules/weft'), 'dir');
}

const builders = {
  async esbuild(out) {
    /** What `resolve.alias` does in Vite: esbuild has no alias by pattern, so a plugin. */
    const aliasRayonHelper = {
      name: 'alias-wasm-bindgen-rayon',
      setup(build) {
        build.onResolve({ filter: SNIPPET }, (args) => build.resolve('weft/wasm-bindgen-rayon', { kind: args.kind, resolveDir: args.resolveDir }));
      },
    };
    // Why three entry points: esbuild leaves `new Worker(new URL('./x.mjs', import.meta.url))`
    // as it is, so each worker file is built under the name the URL asks for.
    await esbuild.build({
      entryPoints: ['main', 'app-worker', 'rayon-thread'].map((name) => join(source, `${name}.mjs`)),
      outdir: out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      plugins: [aliasRayonHelper],
      logLevel: 'warning',
    });
    await cp(join(source, 'index.html'), join(out, 'index.html'));
  },

  async vite(out) {
    await vite.build({
      configFile: join(source, 'vite.config.mjs'),
      root: source,
      base: '/test-output/bundled/vite/',
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true },
    });
  },

  async webpack(out) {
    const { default: config } = await import(pathToFileURL(join(source, 'webpack.config.mjs')).href);
    const stats = await new Promise((resolve, reject) => {
      webpack({ ...config, mode: 'production', context: source, entry: { main: './main.mjs' }, output: { path: out, publicPath: 'auto' } }, (error, result) => (error ? reject(error) : resolve(result)));
    });
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    await cp(join(source, 'index.html'), join(out, 'index.html'));
    // webpack names the page's bundle main.js; the shared index.html loads main.mjs.
    await cp(join(out, 'main.js'), join(out, 'main.mjs'));
  },
};

let browser;
let server;

before(async () => {
  await setUpApp();
  server = await startRepoServer();
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

for (const [name, buildApp] of Object.entries(builders)) {
  test(`in Chromium: built with ${name}, oxipng's own initThreadPool(2) runs on weft through the alias; output identical`, async () => {
    const out = join(outRoot, name);
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    await buildApp(out);
    const outcome = await runPage(browser.context, `${server.url}/test-output/bundled/${name}/index.html`, { timeoutMs: 60_000 });
    assertPageOk(outcome);
    assert.equal(outcome.results.sizes.length, 3);
  });
}
