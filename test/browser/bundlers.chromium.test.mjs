// The example app of examples/bundlers/ (a raw pool, a wasi-threads program and a Rust
// wasm-bindgen-rayon crate) built with each bundler, and run as plain ES modules, in Chromium:
// every build is served with the isolation headers and must pass the app's own checks. The app is
// assembled as a user's would be: its sources, the crate's pkg/ folders, its wasm files, and
// node_modules/weft (this repository).
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import * as vite from 'vite';
import webpack from 'webpack';
import { Parcel } from '@parcel/core';
import { assertPageOk, openBrowser, REPO_ROOT, runPage, startRepoServer } from './harness.mjs';

const example = join(REPO_ROOT, 'examples/bundlers');
const outRoot = join(REPO_ROOT, 'test-output/bundlers');
const app = join(outRoot, 'app');
const codec = join(REPO_ROOT, 'node_modules/@jsquash/oxipng/codec');

async function assembleApp() {
  await rm(outRoot, { recursive: true, force: true });
  await cp(example, app, { recursive: true });
  await cp(join(REPO_ROOT, 'test/shared/png-images.mjs'), join(app, 'src/png-images.js'));
  await cp(join(codec, 'pkg-parallel'), join(app, 'pkg'), { recursive: true });
  await cp(join(codec, 'pkg'), join(app, 'pkg-single'), { recursive: true });
  await mkdir(join(app, 'wasm'));
  for (const name of ['hello.wasm', 'wasi/c-primes.wasm']) await cp(join(REPO_ROOT, 'wasm', name), join(app, 'wasm', name.replace('wasi/', '')));
  await mkdir(join(app, 'node_modules'));
  await symlink(REPO_ROOT, join(app, 'node_modules/weft'), 'dir');
  // Why: Parcel takes the folder with the nearest lockfile as the project, and its settings
  // (package exports) from that package.json; a user's app has its own lockfile.
  await writeFile(join(app, 'package-lock.json'), JSON.stringify({ name: 'weft-bundler-app', lockfileVersion: 3, requires: true, packages: {} }));
}

/** The app's index.html pointing at a bundle instead of src/main.js. */
async function writePage(out, script) {
  const html = await readFile(join(app, 'index.html'), 'utf8');
  await writeFile(join(out, 'index.html'), html.replace('./src/main.js', script));
}

/** The app's config file, imported from the app folder (where it finds weft and the plugins). */
async function appConfig(file) {
  return (await import(pathToFileURL(join(app, file)).href));
}

const builds = {
  async plain() {
    return 'app/index.html';
  },

  async vite() {
    const out = join(outRoot, 'vite');
    await vite.build({ root: app, configFile: join(app, 'vite.config.js'), base: './', logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
    return 'vite/index.html';
  },

  async webpack() {
    const out = join(outRoot, 'webpack');
    const { default: config } = await import(pathToFileURL(join(app, 'webpack.config.js')).href);
    const stats = await new Promise((resolve, reject) => {
      webpack({ ...config, mode: 'production', context: app, output: { ...config.output, path: out, publicPath: 'auto' } }, (error, result) => (error ? reject(error) : resolve(result)));
    });
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    await writePage(out, './main.js');
    return 'webpack/index.html';
  },

  async rollup() {
    const out = join(outRoot, 'rollup');
    const { default: config } = await appConfig('rollup.config.js');
    const bundle = await rollup({ ...config, input: join(app, config.input), onwarn: (warning) => console.error(`rollup: ${warning.message}`) });
    await bundle.write({ ...config.output, dir: out });
    await bundle.close();
    await writePage(out, './main.js');
    return 'rollup/index.html';
  },

  async esbuild() {
    const out = join(outRoot, 'esbuild');
    const { options } = await appConfig('esbuild.config.js');
    await esbuild.build({ ...options, entryPoints: options.entryPoints.map((entry) => join(app, entry)), outdir: out, logLevel: 'warning' });
    await writePage(out, './main.js');
    return 'esbuild/index.html';
  },

  async parcel() {
    const out = join(outRoot, 'parcel');
    const bundler = new Parcel({
      entries: join(app, 'index.html'),
      defaultConfig: '@parcel/config-default',
      mode: 'production',
      shouldDisableCache: true,
      cacheDir: join(outRoot, '.parcel-cache'),
      defaultTargetOptions: { distDir: out, publicUrl: './' },
      logLevel: 'warn',
    });
    await bundler.run();
    return 'parcel/index.html';
  },
};

let browser;
let server;

before(async () => {
  await assembleApp();
  server = await startRepoServer();
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

test('in Chromium: the example app on the Vite dev server (weft\'s Vite plugin: headers, module workers, no pre-bundling of weft) passes its checks', async () => {
  // Why fs.allow: node_modules/weft is a symbolic link to this repository here, so Vite sees weft's
  // files outside the app (an installed weft is a real folder inside it).
  const dev = await vite.createServer({ root: app, configFile: join(app, 'vite.config.js'), logLevel: 'warn', server: { port: 0, host: '127.0.0.1', fs: { allow: [app, REPO_ROOT] } } });
  try {
    await dev.listen();
    const url = dev.resolvedUrls.local[0];
    const outcome = await runPage(browser.context, `${url}index.html`, { timeoutMs: 90_000 });
    assertPageOk(outcome);
    assert.deepEqual(outcome.results.checks, { pool: true, wasi: true, wasmBindgen: true });
  } finally {
    await dev.close();
  }
});

for (const [name, build] of Object.entries(builds)) {
  test(`in Chromium: the example app ${name === 'plain' ? 'as plain ES modules' : `built with ${name}`} passes its checks`, async () => {
    const page = await build();
    const outcome = await runPage(browser.context, `${server.url}/test-output/bundlers/${page}`, { timeoutMs: 90_000 });
    assertPageOk(outcome);
    assert.deepEqual(outcome.results.checks, { pool: true, wasi: true, wasmBindgen: true });
  });
}
