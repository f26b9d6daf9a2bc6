// weft/wasm-bindgen against every shape of `--target web` glue wasm-bindgen wrote from before
// 0.2.84 to the newest release (test/fixtures/wasm-bindgen/glue-shapes/: each file is the real
// glue's load/init/initSync/finalize text over wasm/bindgen_fixture_bg.wasm; its header says
// which version and package it was taken from). Each shape: a pool of 2 threads initializes
// every thread in the form the glue takes, with no deprecation warning, runs the exports and
// closes cleanly; object-form glue gets threadStackSize and reports a bad one; initSync works in
// its form. Then detectInitForm on the real glue of tfhe, @jsquash/oxipng, tlsn-wasm and
// @provablehq/wasm, as shipped and minified.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import wabt from 'wabt';
import { minify } from 'terser';
import { createBindgenPool } from '../../dist/wasm-bindgen/node.js';
import * as errors from '../../dist/errors/index.js';
import { detectInitForm } from '../../dist/producers/wasm-bindgen-glue.js';

const shapesDir = new URL('../fixtures/wasm-bindgen/glue-shapes/', import.meta.url);
const wbgWasm = new URL('../../wasm/bindgen_fixture_bg.wasm', import.meta.url);

// 0.2.106+ glue imports from "./<crate>_bg.js" instead of "wbg": the same .wat with its imports renamed.
const wat = await readFile(new URL('../../wasm/src/bindgen_fixture_bg.wat', import.meta.url), 'utf8');
const renamedWat = wat.replace(/\(import "wbg"/g, '(import "./bindgen_fixture_bg.js"');
assert.notEqual(renamedWat, wat);
// Bytes, not a compiled Module: weft reads the memory import's limits from the bytes.
const renamedWasm = (await wabt()).parseWat('bindgen_fixture_bg.wat', renamedWat, { threads: true, bulk_memory: true }).toBinary({}).buffer;
assert.equal(WebAssembly.Module.imports(new WebAssembly.Module(renamedWasm)).find((i) => i.kind === 'memory').module, './bindgen_fixture_bg.js');

/**
 * form: how the glue's init takes the module and memory; stackSize: how a bad thread_stack_size
 * is reported (null: the glue takes none); moduleProperty: whether init keeps
 * `__wbindgen_wasm_module`; initSync: whether the glue has one.
 */
const shapes = [
  { name: 'pre-0.2.84', form: 'positional', stackSize: null, moduleProperty: true, initSync: false, wasm: wbgWasm },
  { name: '0.2.92', form: 'positional', stackSize: null, moduleProperty: true, initSync: true, wasm: wbgWasm },
  { name: '0.2.92.min', form: 'positional', stackSize: null, moduleProperty: true, initSync: true, wasm: wbgWasm },
  { name: '0.2.93', form: 'object', stackSize: 'string', moduleProperty: true, initSync: true, wasm: wbgWasm },
  { name: '0.2.100', form: 'object', stackSize: 'string', moduleProperty: true, initSync: true, wasm: wbgWasm },
  { name: '0.2.101', form: 'object', stackSize: 'string', moduleProperty: true, initSync: true, wasm: wbgWasm },
  { name: '0.2.105', form: 'object', stackSize: 'string', moduleProperty: true, initSync: true, wasm: wbgWasm },
  { name: '0.2.106', form: 'object', stackSize: 'string', moduleProperty: false, initSync: true, wasm: renamedWasm },
  { name: '0.2.118', form: 'object', stackSize: 'Error', moduleProperty: false, initSync: true, wasm: renamedWasm },
  { name: '0.2.118.min', form: 'object', stackSize: 'Error', moduleProperty: false, initSync: true, wasm: renamedWasm },
];

const glueUrl = (shape) => new URL(`${shape.name}.js`, shapesDir);
let freshImports = 0;
/** A new instance of the glue module (its own `wasm` state), for the initSync checks. */
const importFresh = (shape) => import(`${glueUrl(shape).href}?fresh=${++freshImports}`);

/** Runs body with console.warn of this thread recorded; resolves to what was warned. */
async function capturingWarnings(body) {
  const warned = [];
  const original = console.warn;
  console.warn = (...args) => { warned.push(args.map(String).join(' ')); };
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return warned;
}

/** Runs body(pool) and closes the pool whatever happens; checks that it closed. */
async function withPool(options, body) {
  const pool = await createBindgenPool(options);
  try {
    await body(pool);
  } finally {
    await pool.close();
  }
  assert.equal(pool.closed, true);
}

async function rejectsWith(promise, ErrorClass) {
  let error;
  await promise.then(() => assert.fail('expected a rejection'), (e) => { error = e; });
  assert.ok(error instanceof ErrorClass, `expected ${ErrorClass.name}, got ${error?.name}: ${error?.message}`);
  return error;
}

/** An error's message and its causes' messages, for a search. */
function messages(error) {
  const all = [];
  for (let e = error; e !== undefined && e !== null && all.length < 10; e = e.cause) all.push(String(e.message ?? e));
  return all.join(' / ');
}

for (const shape of shapes) {
  test(`${shape.name}: detectInitForm picks the ${shape.form} form from the glue's own init`, async () => {
    const glue = await import(glueUrl(shape).href);
    assert.equal(detectInitForm(glue.default), shape.form);
  });

  test(`${shape.name}: 2 threads, each initialized in the ${shape.form} form without a deprecation warning; exports run; close ends the pool`, async () => {
    const hostWarnings = await capturingWarnings(() =>
      withPool({ glue: glueUrl(shape), wasm: shape.wasm, threads: 2 }, async (pool) => {
        assert.deepEqual((await pool.broadcast('thread_index')).sort(), [0, 1]);
        assert.equal(await pool.run('add', 40, 2), 42);
        assert.deepEqual(await pool.broadcast('add', 1, 2), [3, 3]);
        assert.deepEqual(await pool.broadcast('warnings'), [[], []], 'what the threads warned');
        assert.deepEqual(await pool.broadcast('has_wasm_module_property'), [shape.moduleProperty, shape.moduleProperty]);
        // __wbindgen_start ran once on each thread, without a stack size.
        assert.deepEqual(await pool.runOn(1, 'counters'), { started: 2, stackSize: 0 });
        // The glue's __wbindgen_throw import is wired: a panic reaches the caller with its message.
        await assert.rejects(pool.runOn(1, 'panic'), { message: 'fixture panicked: boom' });
        assert.equal(await pool.runOn(1, 'add', 2, 2), 4);
      }),
    );
    assert.deepEqual(hostWarnings, []);
  });

  if (shape.form === 'object') {
    test(`${shape.name}: threadStackSize reaches __wbindgen_start on every thread as thread_stack_size`, async () => {
      await withPool({ glue: glueUrl(shape), wasm: shape.wasm, threads: 2, threadStackSize: 131072 }, async (pool) => {
        assert.deepEqual(await pool.broadcast('counters'), [{ started: 2, stackSize: 131072 }, { started: 2, stackSize: 131072 }]);
        assert.deepEqual(await pool.broadcast('warnings'), [[], []]);
      });
    });

    test(`${shape.name}: a threadStackSize the glue rejects (not a multiple of 64 KiB; thrown as ${shape.stackSize === 'string' ? 'a string' : 'an Error'}) fails the start with WorkerStartError`, async () => {
      const error = await rejectsWith(createBindgenPool({ glue: glueUrl(shape), wasm: shape.wasm, threads: 2, threadStackSize: 100000 }), errors.WorkerStartError);
      assert.match(messages(error), /invalid stack size/);
    });
  } else {
    test(`${shape.name}: initForm 'object' forced on positional glue fails the start with WorkerStartError`, async () => {
      await rejectsWith(createBindgenPool({ glue: glueUrl(shape), wasm: shape.wasm, threads: 1, initForm: 'object' }), errors.WorkerStartError);
    });
  }

  if (shape.name === '0.2.93' || shape.name === '0.2.118') {
    // The control for the warning checks above: the same glue called positionally does warn.
    test(`${shape.name}: initForm 'positional' forced on object-form glue works but every thread warns`, async () => {
      await withPool({ glue: glueUrl(shape), wasm: shape.wasm, threads: 2, initForm: 'positional' }, async (pool) => {
        for (const warned of await pool.broadcast('warnings')) {
          assert.equal(warned.length, 1);
          assert.match(warned[0], /using deprecated parameters for the initialization function/);
        }
      });
    });
  }

  if (shape.initSync) {
    test(`${shape.name}: initSync in the ${shape.form} form instantiates without a warning; the other form ${shape.form === 'object' ? 'warns' : 'fails'}`, async () => {
      const module = new WebAssembly.Module(shape.wasm instanceof URL ? await readFile(shape.wasm) : shape.wasm);
      const memory = () => new WebAssembly.Memory({ initial: 17, maximum: 16384, shared: true });
      const right = await importFresh(shape);
      const rightWarnings = await capturingWarnings(() => {
        if (shape.form === 'object') right.initSync({ module, memory: memory() });
        else right.initSync(module, memory());
      });
      assert.deepEqual(rightWarnings, []);
      assert.equal(right.thread_index(), 0);
      assert.equal(right.has_wasm_module_property(), shape.moduleProperty);

      const other = await importFresh(shape);
      if (shape.form === 'object') {
        const warned = await capturingWarnings(() => other.initSync(module, memory()));
        assert.equal(warned.length, 1);
        assert.match(warned[0], /using deprecated parameters for `initSync\(\)`/);
        assert.equal(other.add(1, 1), 2);
        if (shape.stackSize !== null) {
          const third = await importFresh(shape);
          assert.throws(() => third.initSync({ module, memory: memory(), thread_stack_size: 100000 }), (e) => /invalid stack size/.test(String(e?.message ?? e)));
        }
      } else {
        assert.throws(() => other.initSync({ module, memory: memory() }), TypeError);
      }
    });
  }

  if (!shape.moduleProperty) {
    test(`${shape.name}: without __wbindgen_wasm_module, a glue namespace without "wasm" is an InvalidOptionError naming "wasm"`, async () => {
      const glue = await importFresh(shape);
      await glue.default({ module_or_path: new WebAssembly.Module(shape.wasm), memory: new WebAssembly.Memory({ initial: 17, maximum: 16384, shared: true }) });
      const error = await rejectsWith(
        createBindgenPool({ glue, createWorker: () => { throw new Error('no worker is started before the module is known'); } }),
        errors.InvalidOptionError,
      );
      assert.equal(error.option, 'wasm');
    });
  }
}

// detectInitForm on the glue of real crates, by the source text of their own `__wbg_init`.
const nodeModules = new URL('../../node_modules/', import.meta.url);
const realGlues = [
  // tfhe's and tlsn-wasm's snippets need a browser's `self` to load: their __wbg_init is taken from the text.
  { name: 'tfhe 1.6.1 (wasm-bindgen 0.2.118)', path: 'tfhe/tfhe.js', form: 'object', importable: false },
  { name: '@jsquash/oxipng 2.3.0 pkg-parallel (0.2.92)', path: '@jsquash/oxipng/codec/pkg-parallel/squoosh_oxipng.js', form: 'positional', importable: true },
  { name: 'tlsn-wasm 0.1.0-alpha.12 (0.2.94..0.2.100)', path: 'tlsn-wasm/tlsn_wasm.js', form: 'object', importable: false },
  // A rollup bundle that inits itself with top-level await (its fetch of a file: URL fails in
  // Node), with no default export: its __wbg_init is taken from the text.
  { name: '@provablehq/wasm 0.11.10 testnet bundle (0.2.10x)', path: '@provablehq/wasm/dist/testnet/index.js', form: 'object', importable: false },
];

/** The text of `async function __wbg_init(...) { ... }` in a glue's source. */
function initFunctionText(source) {
  const start = source.indexOf('async function __wbg_init(');
  assert.notEqual(start, -1, 'no __wbg_init in the glue');
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error('unbalanced __wbg_init');
}

/** A function whose source text is `text` (a data: module, since the glue's init reads import.meta). */
async function functionFromText(text) {
  return (await import(`data:text/javascript,${encodeURIComponent(`export default ${text}`)}`)).default;
}

for (const real of realGlues) {
  test(`detectInitForm on ${real.name}: ${real.form}, as shipped and minified`, async () => {
    const source = await readFile(new URL(real.path, nodeModules), 'utf8');
    const text = initFunctionText(source);
    if (real.importable) {
      const glue = await import(new URL(real.path, nodeModules).href);
      assert.equal(Function.prototype.toString.call(glue.default), text, 'the default export is the glue\'s __wbg_init');
      assert.equal(detectInitForm(glue.default), real.form);
    }
    assert.equal(detectInitForm(await functionFromText(text)), real.form);
    const minified = (await minify(`export default ${text}`, { module: true, compress: true, mangle: true })).code.replace(/^export default /, '').replace(/;$/, '');
    assert.doesNotMatch(minified, /^async function __wbg_init\(|\(module_or_path, ?memory\)|\(input, ?maybe_memory\)/, 'the names are mangled');
    assert.equal(detectInitForm(await functionFromText(minified)), real.form, `minified: ${minified.slice(0, 200)}`);
  });
}

// wasm-bindgen's Node.js targets built with atomics (ES module and CommonJS): no default init;
// each pool thread calls initSync({ module, memory, thread_stack_size }).
for (const file of ['node-esm.mjs', 'node-cjs.cjs']) {
  test(`Node target glue (${file}): every thread initialized through initSync, stack size passed on`, async () => {
    await withPool({ glue: new URL(file, shapesDir), wasm: renamedWasm, threads: 2, threadStackSize: 131072 }, async (pool) => {
      assert.deepEqual((await pool.broadcast('thread_index')).sort(), [0, 1]);
      assert.equal(await pool.run('add', 40, 2), 42);
      const counters = await pool.broadcast('counters');
      assert.deepEqual(counters.map((c) => c.stackSize), [131072, 131072]);
    });
  });
}
