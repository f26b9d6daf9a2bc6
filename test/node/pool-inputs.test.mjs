import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  createPool, InvalidModuleError, InvalidOptionError, MemoryImportError, MemoryMismatchError, MissingExportError,
  ThreadSymbolsError, UnsupportedImportError, WeftError,
} from '../../dist/node.js';
import wabt from 'wabt';
import { wasmUrl } from '../fixtures/paths.mjs';

const numbersBytes = await readFile(wasmUrl('numbers'));

test('the module can be a URL, a path, bytes, a Response or a compiled Module with a memory', async () => {
  const compiled = await WebAssembly.compile(numbersBytes);
  const sources = [
    wasmUrl('numbers'),
    wasmUrl('numbers').href,
    new URL(wasmUrl('numbers')).pathname,
    numbersBytes,
    numbersBytes.buffer.slice(numbersBytes.byteOffset, numbersBytes.byteOffset + numbersBytes.byteLength),
    new Response(numbersBytes, { headers: { 'content-type': 'application/wasm' } }),
  ];
  for (const module of sources) {
    const pool = await createPool({ module, threads: 1 });
    assert.equal(await pool.run('echo_i32', 11), 11);
    await pool.close();
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const pool = await createPool({ module: compiled, memory, threads: 1 });
  assert.equal(pool.memory, memory);
  await pool.close();
  // Without the bytes the engine's own link check in each thread catches a wrong memory.
  const wrong = new WebAssembly.Memory({ initial: 1, maximum: 32, shared: true });
  await assert.rejects(createPool({ module: compiled, memory: wrong, threads: 1 }), { name: 'MemoryMismatchError' });
});

test('bytes that are not wasm: InvalidModuleError that shows what they look like', async () => {
  await assert.rejects(createPool({ module: new TextEncoder().encode('<!doctype html><p>404') }), (error) => {
    assert.ok(error instanceof InvalidModuleError);
    assert.ok(error instanceof WeftError);
    assert.equal(error.code, 'WEFT_INVALID_MODULE');
    assert.match(error.message, /looks like HTML/);
    return true;
  });
  await assert.rejects(createPool({ module: new Uint8Array() }), /empty/);
  await assert.rejects(createPool({ module: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 99]) }), /does not compile/);
  await assert.rejects(createPool({ module: '/no/such/file.wasm' }), { code: 'WEFT_INVALID_MODULE', message: /no\/such\/file/ });
  await assert.rejects(createPool({ module: new Response('missing', { status: 404 }) }), /404/);
});

test('a memory import that is not shared, or a module with its own memory: MemoryImportError', async () => {
  await assert.rejects(createPool({ module: wasmUrl('unshared-memory') }), (error) => {
    assert.ok(error instanceof MemoryImportError);
    assert.match(error.message, /not shared/);
    assert.match(error.message, /--shared-memory/);
    return true;
  });
  await assert.rejects(createPool({ module: wasmUrl('own-memory') }), { name: 'MemoryImportError', message: /defines its own memory/ });
});

test('a compiled Module without memory: MemoryImportError unless the engine reveals the limits', async () => {
  const compiled = await WebAssembly.compile(numbersBytes);
  const reveals = WebAssembly.Module.imports(compiled)[0].type !== undefined;
  if (reveals) {
    const pool = await createPool({ module: compiled, threads: 1 });
    await pool.close();
  } else {
    await assert.rejects(createPool({ module: compiled, threads: 1 }), { name: 'MemoryImportError', message: /pass `memory`/ });
  }
});

test('a memory that does not match the import: MemoryMismatchError with the right constructor call', async () => {
  const cases = [
    new WebAssembly.Memory({ initial: 1, maximum: 16 }),
    new WebAssembly.Memory({ initial: 0, maximum: 16, shared: true }),
    new WebAssembly.Memory({ initial: 1, maximum: 32, shared: true }),
    {},
  ];
  for (const memory of cases) {
    await assert.rejects(createPool({ module: wasmUrl('numbers'), memory, threads: 1 }), (error) => {
      assert.ok(error instanceof MemoryMismatchError, `${error}`);
      assert.match(error.message, /initial: 1, maximum: 16, shared: true/);
      return true;
    });
  }
});

test('a missing export or one that is not a function: MissingExportError listing what exists', async () => {
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 1 });
  try {
    await assert.rejects(pool.run('no_such_export'), (error) => {
      assert.ok(error instanceof MissingExportError);
      assert.equal(error.exportName, 'no_such_export');
      assert.match(error.message, /echo_i32/);
      return true;
    });
    await assert.rejects(pool.run('not_a_function'), { name: 'MissingExportError', message: /is a table, not a function/ });
    await assert.rejects(pool.run('g'), { name: 'MissingExportError', message: /is a global, not a function/ });
    await assert.rejects(pool.broadcast('nope'), MissingExportError);
    await assert.rejects(pool.parallelFor('nope', 0, 10), MissingExportError);
  } finally {
    await pool.close();
  }
});

test('thread counts and other options are checked', async () => {
  for (const threads of [0, -1, 1.5, '2', Number.NaN, null]) {
    await assert.rejects(createPool({ module: wasmUrl('numbers'), threads }), (error) => {
      assert.ok(error instanceof InvalidOptionError, String(threads));
      assert.equal(error.option, 'threads');
      return true;
    });
  }
  await assert.rejects(createPool(), { code: 'WEFT_INVALID_OPTION' });
  await assert.rejects(createPool({}), { option: 'module' });
  await assert.rejects(createPool({ module: 42 }), { option: 'module' });
  await assert.rejects(createPool({ module: wasmUrl('numbers'), queueCapacity: 100 }), { option: 'queueCapacity' });
  await assert.rejects(createPool({ module: wasmUrl('numbers'), wake: 'poll' }), { option: 'wake' });
  await assert.rejects(createPool({ module: wasmUrl('numbers'), stackSize: 100 }), { option: 'stackSize' });
});

test('imports other than the memory: UnsupportedImportError naming them', async () => {
  await assert.rejects(createPool({ module: wasmUrl('imports-function') }), (error) => {
    assert.ok(error instanceof UnsupportedImportError);
    assert.match(error.message, /env\.log \(function\)/);
    return true;
  });
});

test('a clang module that hides its stack pointer is refused with the linker flags to add', async () => {
  await assert.rejects(createPool({ module: wasmUrl('no-stack-exports'), threads: 2 }), (error) => {
    assert.ok(error instanceof ThreadSymbolsError);
    assert.match(error.message, /--export=__stack_pointer/);
    return true;
  });
});

test('a memory too small for the thread stacks: MemoryExhaustedError', async () => {
  await assert.rejects(createPool({ module: wasmUrl('hello'), threads: 2, stackSize: 64 * 1024 * 1024 }), {
    code: 'WEFT_MEMORY_EXHAUSTED',
    message: /stackSize/,
  });
});

test('workers not ready within startTimeout: WorkerStartError, and every started worker is ended', async () => {
  await assert.rejects(createPool({ module: wasmUrl('numbers'), threads: 2, startTimeout: 1 }), (error) => {
    assert.equal(error.code, 'WEFT_WORKER_START');
    assert.match(error.message, /startTimeout/);
    return true;
  });
});

test('wake "wait-async" where the engine has no Atomics.waitAsync: InvalidOptionError up front, for pools and wasi programs', async () => {
  const { runWasi } = await import('../../dist/node.js');
  const waitAsync = Atomics.waitAsync;
  delete Atomics.waitAsync;
  try {
    const starts = [
      () => createPool({ module: wasmUrl('numbers'), threads: 1, wake: 'wait-async' }),
      () => runWasi(new URL('../../wasm/wasi/spawn.wasm', import.meta.url), { wake: 'wait-async' }),
    ];
    for (const start of starts) {
      await assert.rejects(start(), (error) => error instanceof InvalidOptionError && error.option === 'wake' && /Atomics\.waitAsync/.test(error.message));
    }
  } finally {
    Atomics.waitAsync = waitAsync;
  }
});

test('startTimeout beyond what a timer can wait (Infinity, 2^31 ms) is refused, naming the option, by every kind of pool (issue 12: it failed at once with WorkerStartError)', async () => {
  const { runWasi } = await import('../../dist/node.js');
  const { createBindgenPool } = await import('../../dist/wasm-bindgen/node.js');
  const { configureRayon } = await import('../../dist/wasm-bindgen-rayon/node.js');
  const bindgenGlue = new URL('../fixtures/wasm-bindgen/bindgen_fixture.js', import.meta.url);
  for (const startTimeout of [Infinity, 2 ** 31, 1e12]) {
    const starts = [
      () => createPool({ module: wasmUrl('numbers'), startTimeout }),
      () => runWasi(wasmUrl('wasi/c-hello-threads'), { startTimeout }),
      () => createBindgenPool({ glue: bindgenGlue, wasm: wasmUrl('bindgen_fixture_bg'), startTimeout }),
      async () => configureRayon({ startTimeout }),
    ];
    for (const start of starts) {
      await assert.rejects(start(), (error) => {
        assert.ok(error instanceof InvalidOptionError, `${startTimeout}: ${error?.name}: ${error?.message}`);
        assert.equal(error.option, 'startTimeout');
        assert.match(error.message, /2147483647/);
        return true;
      });
    }
  }
  // The largest a timer takes still starts (and the pool does not wait for it).
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 1, startTimeout: 2 ** 31 - 1 });
  await pool.close();
});

test('queueCapacity is a power of two up to 2^20 (issue 12: 3*2^32 passed a 32-bit check)', async () => {
  for (const queueCapacity of [3 * 2 ** 32, 2 ** 32, 2 ** 21, 2 ** 31]) {
    await assert.rejects(createPool({ module: wasmUrl('numbers'), queueCapacity }), (error) => {
      assert.ok(error instanceof InvalidOptionError, `${queueCapacity}: ${error?.name}: ${error?.message}`);
      assert.equal(error.option, 'queueCapacity');
      return true;
    });
  }
});

test('runWasi refuses a nodeLiftoffWorkaround that is not a boolean (issue 12: it was accepted)', async () => {
  const { runWasi } = await import('../../dist/node.js');
  await assert.rejects(runWasi(wasmUrl('wasi/c-hello-threads'), { nodeLiftoffWorkaround: 'x' }), { option: 'nodeLiftoffWorkaround' });
});

test('parallelFor with options that are not an object is InvalidArgumentError (issue 12: null gave a raw TypeError)', async () => {
  const pool = await createPool({ module: wasmUrl('hello'), threads: 1 });
  try {
    for (const options of [null, 5, 'chunks']) {
      await assert.rejects(pool.parallelFor('sum_range', 0, 10, options), (error) => {
        assert.equal(error.code, 'WEFT_INVALID_ARGUMENT', `${String(options)}: ${error?.name}: ${error?.message}`);
        return true;
      });
    }
    assert.equal((await pool.parallelFor('sum_range', 0, 10)).reduce((a, b) => a + b, 0), 45);
  } finally {
    await pool.close();
  }
});

test('a module that imports the shared memory and also defines a memory is refused with MemoryImportError where the engine has multi-memory (issue 12: Node 22 accepted it)', async () => {
  const wat = '(module (import "env" "memory" (memory 1 1 shared)) (memory 1) (func (export "f") (result i32) (i32.const 1)))';
  const bytes = (await wabt()).parseWat('two-memories.wat', wat, { threads: true, multi_memory: true }).toBinary({}).buffer;
  if (!WebAssembly.validate(bytes)) {
    // Without multi-memory (Node 20) the engine itself refuses the module.
    await assert.rejects(createPool({ module: bytes, threads: 1 }), InvalidModuleError);
    return;
  }
  await assert.rejects(createPool({ module: bytes, threads: 1 }), (error) => {
    assert.ok(error instanceof MemoryImportError, `${error.name}: ${error.message}`);
    assert.match(error.message, /also defines a memory/);
    return true;
  });
});

test('threads beyond 256 are refused with InvalidOptionError naming the option, by createPool and createBindgenPool (issue 12: 2^32 was a raw RangeError, 100000 ran out of memory)', async () => {
  const { createBindgenPool } = await import('../../dist/wasm-bindgen/node.js');
  const glue = new URL('../fixtures/wasm-bindgen/bindgen_fixture.js', import.meta.url);
  for (const threads of [2 ** 32, 100_000, 257, 0, -1, 1.5, Number.NaN, Infinity, '2']) {
    await assert.rejects(createPool({ module: wasmUrl('numbers'), threads }), (error) => {
      assert.ok(error instanceof InvalidOptionError, `${threads}: ${error.name}: ${error.message}`);
      assert.equal(error.option, 'threads');
      assert.match(error.message, /from 1 to 256/);
      return true;
    });
    await assert.rejects(createBindgenPool({ glue, threads }), { code: 'WEFT_INVALID_OPTION', option: 'threads' });
  }
  for (const rayonThreads of [257, 2 ** 32, -1]) {
    await assert.rejects(createBindgenPool({ glue, rayonThreads }), { code: 'WEFT_INVALID_OPTION', option: 'rayonThreads' });
  }
});

test('a Response already read or whose body fails, and a detached buffer, are InvalidModuleError saying so (issue 12: raw TypeErrors)', async () => {
  const expectInvalid = (module, pattern) => assert.rejects(createPool({ module, threads: 1 }), (error) => {
    assert.ok(error instanceof InvalidModuleError, `${error.name}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
  const used = new Response(numbersBytes);
  await used.arrayBuffer();
  await expectInvalid(used, /already read.*new Response|fetch/i);
  const failing = new Response(new ReadableStream({ pull(controller) { controller.error(new Error('network down')); } }));
  await expectInvalid(failing, /reading the response.*network down/i);
  const detached = numbersBytes.buffer.slice(0);
  const view = new Uint8Array(detached);
  structuredClone(detached, { transfer: [detached] });
  await expectInvalid(detached, /detached/);
  await expectInvalid(view, /detached/);
});
