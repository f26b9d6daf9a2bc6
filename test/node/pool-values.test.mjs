import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPool, InvalidArgumentError } from '../../dist/node.js';
import wabt from 'wabt';
import { wasmUrl } from '../fixtures/paths.mjs';

let pool;

const unusualWat = `(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "give_externref") (result externref) (ref.null extern))
  (func (export "give_funcref") (result funcref) (ref.null func))
  (func (export "take_externref") (param externref))
  (func (export "give_v128") (result v128) (v128.const i32x4 1 2 3 4))
  (func (export "give_nine") (result i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9))
  (func (export "take_i64") (param i64) (result i64) (local.get 0)))`;
const unusualBytes = (await wabt()).parseWat('unusual.wat', unusualWat, { threads: true, simd: true, reference_types: true, multi_value: true }).toBinary({}).buffer;

before(async () => {
  pool = await createPool({ module: wasmUrl('numbers'), threads: 2 });
});
after(() => pool.close());

test('i32, i64, f32 and f64 arguments and results', async () => {
  assert.equal(await pool.run('echo_i32', -7), -7);
  assert.equal(await pool.run('echo_i32', 2 ** 31), -(2 ** 31), 'i32 wraps as wasm does');
  assert.equal(await pool.run('echo_i64', 2n ** 62n + 5n), 2n ** 62n + 5n);
  assert.equal(await pool.run('echo_i64', -1n), -1n);
  assert.equal(await pool.run('echo_f32', 1.1), Math.fround(1.1));
  assert.equal(await pool.run('echo_f64', Math.PI), Math.PI);
  assert.ok(Number.isNaN(await pool.run('echo_f64', Number.NaN)));
  assert.equal(await pool.run('add_i32', 2 ** 31 - 1, 1), -(2 ** 31));
  assert.equal(await pool.run('add_i64', 2n ** 40n, 3n), 2n ** 40n + 3n);
  assert.equal(await pool.run('add_f64', 0.25, 0.5), 0.75);
  assert.equal(await pool.run('mixed', 1, 2n, 0.5, 0.25), 3.75);
});

test('no result is undefined; several results are an array', async () => {
  assert.equal(await pool.run('nothing'), undefined);
  assert.deepEqual(await pool.run('pair', 1, 2), [2, 1]);
});

test('arguments that are not wasm numbers reject with InvalidArgumentError', async () => {
  await assert.rejects(pool.run('echo_i32', '1'), InvalidArgumentError);
  await assert.rejects(pool.run('echo_i64', {}), /object/);
});

// Issue 12: these reached the engine, which threw a raw TypeError in the thread or wrapped silently.
test('arguments that do not fit the export\'s parameter types reject with InvalidArgumentError naming the types', async () => {
  const expectRefusal = (promise, pattern) => assert.rejects(promise, (error) => {
    assert.ok(error instanceof InvalidArgumentError, `${error.name}: ${error.message}`);
    assert.equal(error.code, 'WEFT_INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    return true;
  });
  await expectRefusal(pool.run('echo_i64', 5), /argument 0 of "echo_i64" is an i64.*5n/i);
  await expectRefusal(pool.run('echo_i32', 5n), /argument 0 of "echo_i32" is an i32/i);
  await expectRefusal(pool.run('mixed', 1, 2, 0.5, 0.25), /argument 1 of "mixed" is an i64/i);
  await expectRefusal(pool.run('echo_i64', 2n ** 64n + 5n), /outside/);
  await expectRefusal(pool.run('echo_i64', -(2n ** 63n) - 1n), /outside/);
  await expectRefusal(pool.run('echo_i32', 2 ** 32), /outside/);
  await expectRefusal(pool.run('echo_i32', 1.5), /integer/);
  await expectRefusal(pool.run('add_i32', 1), /"add_i32" takes 2 arguments \(i32, i32\), got 1/);
  await expectRefusal(pool.run('nothing', 1), /takes no arguments/);
  await expectRefusal(pool.runOn(0, 'echo_i64', 5), /i64/);
  await expectRefusal(pool.broadcast('echo_i64', 5), /i64/);
  // The edges of each range still pass: i64 signed or unsigned, i32 signed or unsigned.
  assert.equal(await pool.run('echo_i64', 2n ** 64n - 1n), -1n);
  assert.equal(await pool.run('echo_i64', -(2n ** 63n)), -(2n ** 63n));
  assert.equal(await pool.run('echo_i32', 2 ** 32 - 1), -1);
  assert.equal(await pool.run('echo_i32', -(2 ** 31)), -(2 ** 31));
});

test('shared memory is visible to the caller and every thread', async () => {
  await pool.run('store_i32', 128, 1234);
  assert.equal(new Int32Array(pool.memory.buffer)[32], 1234);
  new Int32Array(pool.memory.buffer)[33] = 99;
  const seen = await pool.broadcast('load_i32', 132);
  assert.deepEqual(seen, new Array(pool.threads).fill(99));
});

test('broadcast and runOn reach every thread', async () => {
  const results = await pool.broadcast('echo_i32', 5);
  assert.equal(results.length, pool.threads);
  for (let t = 0; t < pool.threads; t++) assert.equal(await pool.runOn(t, 'echo_i32', t), t);
  await assert.rejects(pool.runOn(pool.threads, 'echo_i32', 1), InvalidArgumentError);
});

test('100,000 small tasks: none lost, each with its own result', async () => {
  const n = 100_000;
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = pool.run('echo_i32', i);
  const results = await Promise.all(tasks);
  for (let i = 0; i < n; i++) if (results[i] !== i) assert.fail(`task ${i} resolved to ${results[i]}`);
});

test('atomic counting from many tasks is exact', async () => {
  new Int32Array(pool.memory.buffer)[64] = 0;
  const tasks = [];
  for (let i = 0; i < 5000; i++) tasks.push(pool.run('atomic_add', 256, 1));
  await Promise.all(tasks);
  assert.equal(new Int32Array(pool.memory.buffer)[64], 5000);
});

test('the message wake mode (no Atomics.waitAsync) gives the same results', async () => {
  const messagePool = await createPool({ module: wasmUrl('numbers'), threads: 2, wake: 'message' });
  try {
    const tasks = [];
    for (let i = 0; i < 2000; i++) tasks.push(messagePool.run('echo_i32', i));
    assert.deepEqual(await Promise.all(tasks), Array.from({ length: 2000 }, (_, i) => i));
    await assert.rejects(messagePool.run('trap_unreachable'), WebAssembly.RuntimeError);
    assert.equal(await messagePool.run('echo_i32', 3), 3);
  } finally {
    await messagePool.close();
  }
});

test('exports that take or return externref, funcref, v128 or more than 8 values are refused with InvalidArgumentError saying why (issue 12: they failed untyped)', async () => {
  const unusual = await createPool({ module: unusualBytes, threads: 1 });
  try {
    for (const [name, pattern] of [
      ['give_externref', /"give_externref" returns externref/],
      ['give_funcref', /"give_funcref" returns funcref/],
      ['take_externref', /"take_externref" takes externref/],
      ['give_v128', /"give_v128" returns v128/],
      ['give_nine', /"give_nine" returns 9 values; weft passes at most 8/],
    ]) {
      await assert.rejects(unusual.run(name), (error) => {
        assert.ok(error instanceof InvalidArgumentError, `${name}: ${error.name}: ${error.message}`);
        assert.match(error.message, pattern);
        assert.match(error.message, /i32, i64, f32 and f64/);
        return true;
      });
    }
    assert.equal(await unusual.run('take_i64', 3n), 3n, 'the pool still serves');
  } finally {
    await unusual.close();
  }
});

test('given a compiled Module (no bytes to read the types from), a mismatch found in the thread is still InvalidArgumentError', async () => {
  const compiled = await WebAssembly.compile(unusualBytes);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const unusual = await createPool({ module: compiled, memory, threads: 1 });
  try {
    await assert.rejects(unusual.run('take_i64', 3), (error) => {
      assert.ok(error instanceof InvalidArgumentError, `${error.name}: ${error.message}`);
      assert.match(error.message, /"take_i64"/);
      return true;
    });
    await assert.rejects(unusual.run('give_v128'), InvalidArgumentError);
    await assert.rejects(unusual.run('take_i64', 2n ** 64n), /outside/);
    assert.equal(await unusual.run('take_i64', 3n), 3n);
  } finally {
    await unusual.close();
  }
});
