// wasm-bindgen in Node only: the drop-in wasm-bindgen-rayon helper swapped in by weft's loader
// hook (as users of @jsquash/oxipng's own initThreadPool would), the alias route with
// configureRayon, and processes that exit by themselves after pools end.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as rayon from '../../dist/wasm-bindgen-rayon/node.js';
import { InvalidOptionError } from '../../dist/errors/index.js';
import { makeTestImages } from '../shared/png-images.mjs';

const CHILD_TIMEOUT_MS = 60_000;
const ALIAS_HOOKS = new URL('../fixtures/wasm-bindgen/node/alias-register.mjs', import.meta.url).href;

function runChild(script, { imports = [], args = [] } = {}) {
  const path = fileURLToPath(new URL(`../fixtures/wasm-bindgen/node/${script}`, import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [...imports.flatMap((i) => ['--import', i]), path, ...args], { timeout: CHILD_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? error.signal : 0, killed: error?.killed ?? false, stdout, stderr });
    });
  });
}

function parseChild(child) {
  assert.equal(child.killed, false, `the child did not exit within ${CHILD_TIMEOUT_MS / 1000} s: ${child.stderr}`);
  assert.equal(child.code, 0, child.stderr);
  return JSON.parse(child.stdout);
}

for (const threads of [1, 2]) {
  test(`oxipng's own initThreadPool(${threads}) through --import weft/wasm-bindgen-rayon/register: identical output, and the process exits`, async () => {
    const result = parseChild(await runChild('oxipng-dropin.mjs', { imports: ['weft/wasm-bindgen-rayon/register'], args: [String(threads)] }));
    assert.equal(result.threads, threads);
    assert.deepEqual(result.identical, [true, true, true, true, true, true]);
  });
}

for (const mode of ['glue', 'createWorker']) {
  test(`an aliased helper configured with configureRayon({ ${mode} }) starts the rayon threads, and stopRayonWorkers ends them`, async () => {
    const result = parseChild(await runChild('configured-dropin.mjs', { imports: [ALIAS_HOOKS], args: [mode] }));
    assert.deepEqual(result, { running: 2, started: 2, afterStop: 0 });
  });
}

test('an aliased helper that was not told the glue rejects initThreadPool with what to do', async () => {
  const result = parseChild(await runChild('configured-dropin.mjs', { imports: [ALIAS_HOOKS], args: ['none'] }));
  assert.equal(result.error.code, 'WEFT_INVALID_OPTION');
  assert.match(result.error.message, /configureRayon/);
  assert.match(result.error.message, /--import weft\/wasm-bindgen-rayon\/register/);
});

test('the helper refuses a pool of 0 threads', async () => {
  const builder = { numThreads: () => 0, receiver: () => 0, build: () => assert.fail('build() must not run') };
  await assert.rejects(rayon.startWorkers(undefined, undefined, builder), InvalidOptionError);
});

for (const mode of ['close', 'idle']) {
  test(`a process with an oxipng pool that is ${mode === 'close' ? 'closed' : 'left idle'} exits by itself`, async () => {
    assert.deepEqual(parseChild(await runChild('pool-exit.mjs', { args: [mode] })), { smaller: true });
  });
}

test('startRayonPool builds oxipng\'s rayon pool in place of its initThreadPool, with no hook: identical output', async () => {
  const codec = new URL('../../node_modules/@jsquash/oxipng/codec/', import.meta.url);
  // A query gives this test its own instance of the glue (rayon's global pool is built once per instance).
  const glueUrl = new URL('pkg-parallel/squoosh_oxipng.js?start-rayon-pool', codec);
  const glue = await import(glueUrl);
  const single = await import(new URL('pkg/squoosh_oxipng.js', codec));
  await assert.rejects(rayon.startRayonPool({ glue: glueUrl, threads: 2 }), (error) => error instanceof InvalidOptionError && /init\(\) first/.test(error.message));
  await glue.default(await readFile(new URL('pkg-parallel/squoosh_oxipng_bg.wasm', codec)));
  await single.default(await readFile(new URL('pkg/squoosh_oxipng_bg.wasm', codec)));
  await assert.rejects(rayon.startRayonPool({ glue, threads: 2 }), (error) => error instanceof InvalidOptionError && error.option === 'glue');
  await assert.rejects(rayon.startRayonPool({ glue: glueUrl, threads: 0 }), (error) => error instanceof InvalidOptionError && error.option === 'threads');
  const before = rayon.rayonWorkerCount();
  await rayon.startRayonPool({ glue: glueUrl, threads: 2 });
  assert.equal(rayon.rayonWorkerCount(), before + 2);
  for (const { name, png } of await makeTestImages()) {
    assert.deepEqual(glue.optimise(png, 2, false, false), single.optimise(png, 2, false, false), name);
  }
  await rayon.stopRayonWorkers();
  assert.equal(rayon.rayonWorkerCount(), 0);
});

test('with the snippet aliased to the drop-in, rayonThreads and startRayonPool still start their own threads', async () => {
  const result = parseChild(await runChild('pool-with-alias.mjs', { imports: [ALIAS_HOOKS] }));
  assert.deepEqual(result, { poolRunning: 2, started: 2, running: 2 });
});

test('startRayonPool on wasm-bindgen 0.2.118 glue (tfhe 1.6.1, no __wbindgen_wasm_module): refused before init(), then tfhe\'s pool on weft threads', async () => {
  const result = parseChild(await runChild('tfhe-start-rayon-pool.mjs', { imports: ['weft/web-worker/register'] }));
  assert.deepEqual(result, { beforeInit: 'refused', running: 2, serverKeyBytes: 60227967, afterStop: 0 });
});
