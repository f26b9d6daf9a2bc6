// A module built for another runtime is named by its producer, with the weft API (or the outside
// route) to take, and its import list is cut short; a glue that cannot be imported is a
// WorkerStartError that names it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createPool, InvalidModuleError, runWasi, UnsupportedImportError, WorkerStartError } from '../../dist/node.js';
import { createBindgenPool } from '../../dist/wasm-bindgen/node.js';
import { root, wasmUrl } from '../fixtures/paths.mjs';
import { encodeName, uleb } from '../fixtures/wasm-encoding.mjs';

const MAX_MESSAGE = 600;

/** A module that imports a shared env.memory and the functions `[module, name]` (all `() -> ()`), and exports `_start`. */
function moduleImporting(functions) {
  const name = encodeName;
  const section = (id, body) => [id, ...uleb(body.length), ...body];
  const imports = [
    ...functions.flatMap(([module, field]) => [...name(module), ...name(field), 0x00, 0x00]),
    ...name('env'), ...name('memory'), 0x02, 0x03, 0x01, 0x01,
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(2, [...uleb(functions.length + 1), ...imports]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('_start'), 0x00, ...uleb(functions.length)]),
    ...section(10, [0x01, 0x02, 0x00, 0x0b]),
  ]);
}


async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

function assertUnsupported(error, pattern) {
  assert.ok(error instanceof UnsupportedImportError, `${error?.name}: ${error?.message}`);
  assert.equal(error.code, 'WEFT_UNSUPPORTED_IMPORT');
  assert.match(error.message, pattern);
  assert.ok(error.message.length < MAX_MESSAGE, `${error.message.length} characters: ${error.message}`);
}

const oxipng = new URL('node_modules/@jsquash/oxipng/codec/pkg-parallel/squoosh_oxipng_bg.wasm', root);

test('a wasm-bindgen module given to createPool: says so, names createBindgenPool, lists few imports', async () => {
  assertUnsupported(await rejection(createPool({ module: wasmUrl('bindgen_fixture_bg') })), /wasm-bindgen.*createBindgenPool.*weft\/wasm-bindgen/s);
  if (existsSync(oxipng)) {
    const error = await rejection(createPool({ module: oxipng }));
    assertUnsupported(error, /wasm-bindgen.*createBindgenPool/s);
    assert.match(error.message, /and \d+ more/);
  }
});

test('a WASI program given to createPool: says to use runWasi', async () => {
  assertUnsupported(await rejection(createPool({ module: wasmUrl('wasi/spawn') })), /WASI.*runWasi/s);
  assertUnsupported(await rejection(createPool({ module: wasmUrl('wasi/c-primes') })), /WASI.*runWasi/s);
  // A plain wasip1 program defines its own memory: runWasi is still the answer, not a rebuilt memory.
  const plain = new URL('test/fixtures/wasi/libc-smoke.wasm', root);
  assertUnsupported(await rejection(createPool({ module: plain })), /WASI.*runWasi/s);
});

test('a Node-API (emnapi / napi-rs) module: not supported, with the route that exists', async () => {
  const napi = moduleImporting([['env', 'napi_create_function'], ['env', 'napi_set_named_property'], ['napi', 'napi_get_undefined']]);
  for (const error of [await rejection(createPool({ module: napi })), await rejection(runWasi(napi))]) {
    assertUnsupported(error, /Node-API.*not supported.*@napi-rs\/wasm-runtime/s);
  }
  const emnapi = moduleImporting([['emnapi', 'emnapi_create_memory_view'], ['wasi_snapshot_preview1', 'fd_write']]);
  assertUnsupported(await rejection(createPool({ module: emnapi })), /Node-API/);
});

test('an Emscripten pthreads module: run it with its own JS glue', async () => {
  const emscripten = moduleImporting([
    ['env', 'emscripten_futex_wait'], ['env', '_emscripten_thread_set_strongref'], ['env', '__pthread_create_js'],
    ['env', 'emscripten_resize_heap'], ['wasi_snapshot_preview1', 'fd_write'],
  ]);
  for (const error of [await rejection(createPool({ module: emscripten })), await rejection(runWasi(emscripten))]) {
    assertUnsupported(error, /Emscripten.*own JS glue.*not run Emscripten pthreads/s);
  }
});

test('a wasm-bindgen module given to runWasi: names createBindgenPool', async () => {
  const bindgen = moduleImporting([['wbg', '__wbindgen_throw'], ['wbg', '__wbg_log_1234abcd']]);
  assertUnsupported(await rejection(runWasi(bindgen)), /wasm-bindgen.*createBindgenPool/s);
});

test('unrecognised imports: named, at most five, with the count of the rest', async () => {
  const many = moduleImporting(Array.from({ length: 9 }, (_, i) => ['host', `f${i}`]));
  const error = await rejection(createPool({ module: many }));
  assertUnsupported(error, /host\.f0 \(function\)/);
  assert.match(error.message, /host\.f4 \(function\)/);
  assert.doesNotMatch(error.message, /host\.f5/);
  assert.match(error.message, /and 4 more/);
});

test('a glue file that does not exist: WorkerStartError naming its path', async () => {
  const missing = fileURLToPath(new URL('wasm/no-such-glue.js', root));
  const error = await rejection(createBindgenPool({ glue: missing, wasm: wasmUrl('bindgen_fixture_bg'), threads: 1 }));
  assert.ok(error instanceof WorkerStartError, `${error?.name}: ${error?.message}`);
  assert.equal(error.code, 'WEFT_WORKER_START');
  assert.ok(error.message.includes(missing), error.message);
  assert.notEqual(error.code, 'ERR_MODULE_NOT_FOUND');
});

test('a glue file that does not exist, with no "wasm": the _bg.wasm looked for beside it is missing first, and the error names the glue', async () => {
  const missing = fileURLToPath(new URL('wasm/no-such-glue.js', root));
  const error = await rejection(createBindgenPool({ glue: missing, threads: 1 }));
  assert.ok(error instanceof InvalidModuleError, `${error?.name}: ${error?.message}`);
  assert.ok(error.message.includes(missing), error.message);
  assert.match(error.message, /no-such-glue_bg\.wasm.*pass "wasm"/s);
});
