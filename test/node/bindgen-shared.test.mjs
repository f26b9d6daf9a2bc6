// The same wasm-bindgen checks as the browser suite runs in Chromium (test/shared/bindgen-checks.mjs).
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { test } from 'node:test';
import { createBindgenPool } from '../../dist/wasm-bindgen/node.js';
import * as errors from '../../dist/errors/index.js';
import * as fixtureGlue from '../fixtures/wasm-bindgen/bindgen_fixture.js';
import { bindgenChecks } from '../shared/bindgen-checks.mjs';
import { makeTestImages } from '../shared/png-images.mjs';

const codec = new URL('../../node_modules/@jsquash/oxipng/codec/', import.meta.url);
const single = await import(new URL('pkg/squoosh_oxipng.js', codec));
await single.default(await readFile(new URL('pkg/squoosh_oxipng_bg.wasm', codec)));

const context = {
  createBindgenPool,
  errors,
  fixture: {
    glue: new URL('../fixtures/wasm-bindgen/bindgen_fixture.js', import.meta.url),
    legacyGlue: new URL('../fixtures/wasm-bindgen/legacy/bindgen_fixture.js', import.meta.url),
    wasm: new URL('../../wasm/bindgen_fixture_bg.wasm', import.meta.url),
    namespace: fixtureGlue,
    createWorker: () => new Worker(new URL('../fixtures/wasm-bindgen/thread-node.mjs', import.meta.url)),
  },
  oxipng: {
    glue: new URL('pkg-parallel/squoosh_oxipng.js', codec),
    singleGlue: new URL('pkg/squoosh_oxipng.js', codec),
    optimiseSingle: async (png, level) => single.optimise(png, level, false, false),
  },
  images: await makeTestImages(),
};

for (const [name, check] of Object.entries(bindgenChecks)) {
  test(name, () => check(context));
}
