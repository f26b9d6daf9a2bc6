import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPool, InvalidArgumentError } from '../../dist/node.js';
import { wasmUrl } from '../fixtures/paths.mjs';

let pool;
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
  // A number where wasm wants an i64 is the engine's TypeError, thrown in the thread.
  await assert.rejects(pool.run('echo_i64', 1), TypeError);
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
