import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPool } from '../../dist/node.js';
import { wasmUrl } from '../fixtures/paths.mjs';
import { mandelbrotChecksum } from '../shared/mandelbrot-reference.mjs';

const THREADS = 3;
let pool;
before(async () => {
  pool = await createPool({ module: wasmUrl('hello'), threads: THREADS });
});
after(() => pool.close());

function readCString(memory, pointer) {
  const bytes = new Uint8Array(memory.buffer);
  let end = pointer;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.slice(pointer, end));
}

test('each thread says hello with its own id', async () => {
  const pointers = await Promise.all(Array.from({ length: THREADS }, (_, t) => pool.runOn(t, 'hello', t)));
  assert.deepEqual(pointers.map((p) => readCString(pool.memory, p)), Array.from({ length: THREADS }, (_, t) => `hello from thread ${t}`));
});

test('atomic counting on every thread gives the exact total', async () => {
  await pool.run('counter_reset');
  await pool.broadcast('count', 100_000);
  assert.equal(await pool.run('counter_value'), 100_000 * THREADS);
});

test('each thread has its own TLS block', async () => {
  await pool.broadcast('tls_calls');
  await pool.broadcast('tls_calls');
  const counts = await pool.broadcast('tls_calls');
  assert.deepEqual(counts, new Array(THREADS).fill(3));
});

test('each thread has its own shadow stack (deep recursion on all threads at once)', async () => {
  const runs = [];
  for (let i = 0; i < 60; i++) runs.push(pool.run('stack_check', 200, i));
  const sums = await Promise.all(runs);
  const single = await Promise.all([0, 1, 2].map((seed) => pool.run('stack_check', 200, seed)));
  assert.ok(sums.every((s) => s !== -1), 'no frame saw its locals overwritten');
  assert.deepEqual(sums.slice(0, 3), single);
});

test('parallelFor covers the range exactly once', async () => {
  await pool.run('total_reset');
  const chunks = await pool.parallelFor('sum_range', 0, 10_000, { chunkSize: 333 });
  assert.equal(chunks.length, Math.ceil(10_000 / 333));
  const expected = (10_000 * 9_999) / 2;
  assert.equal(chunks.reduce((a, b) => a + b, 0), expected);
  assert.equal(await pool.run('total_value'), expected);
  assert.deepEqual(await pool.parallelFor('sum_range', 5, 5), []);
  await assert.rejects(pool.parallelFor('sum_range', 5, 1), { code: 'WEFT_INVALID_ARGUMENT' });
  await assert.rejects(pool.parallelFor('sum_range', 0, 10, { chunkSize: 0 }), { code: 'WEFT_INVALID_ARGUMENT' });
});

// Issue 12: a loop bound one short (the last chunk dropped) survived the test above, whose last chunk is long.
test('parallelFor gives each chunk exactly its range, the last one too, for every chunk size', async () => {
  const sumOf = (from, to) => ((to - from) * (from + to - 1)) / 2;
  for (const [start, end, chunkSize] of [[0, 10, 1], [0, 10, 5], [0, 10, 3], [0, 10, 10], [0, 10, 11], [-7, 4, 2], [3, 4, 1]]) {
    const expected = [];
    for (let from = start; from < end; from += chunkSize) expected.push(sumOf(from, Math.min(end, from + chunkSize)));
    assert.deepEqual(await pool.parallelFor('sum_range', start, end, { chunkSize }), expected, `[${start}, ${end}) by ${chunkSize}`);
  }
  const byDefault = await pool.parallelFor('sum_range', 0, 10);
  assert.equal(byDefault.reduce((a, b) => a + b, 0), 45);
  assert.ok(byDefault.length > 1 && byDefault.length <= 10, `${byDefault.length} default chunks`);
});

test('parallelFor refuses more chunks than it can hold with InvalidArgumentError naming chunkSize (issue 12: 2^31 chunks never settled)', async () => {
  await assert.rejects(pool.parallelFor('sum_range', 0, 2 ** 31 - 1, { chunkSize: 1 }), (error) => {
    assert.equal(error.code, 'WEFT_INVALID_ARGUMENT');
    assert.match(error.message, /chunkSize/);
    assert.match(error.message, /1048576 chunks/);
    return true;
  });
  // Without a chunkSize any range is split into a few chunks per thread.
  const whole = await pool.parallelFor('sum_range', 0, 2 ** 20);
  assert.ok(whole.length <= THREADS * 4, `${whole.length} chunks`);
});

test('the Mandelbrot checksum on 1, 2 and 3 threads is the one a plain JavaScript render gives', async () => {
  const checksums = [];
  for (const threads of [1, 2, 3]) {
    const mandel = await createPool({ module: wasmUrl('mandelbrot'), threads });
    try {
      await mandel.run('mandelbrot_setup', 256, 192, 64);
      await mandel.parallelFor('mandelbrot_rows', 0, 192);
      checksums.push(await mandel.run('mandelbrot_checksum'));
    } finally {
      await mandel.close();
    }
  }
  assert.deepEqual(checksums, new Array(3).fill(mandelbrotChecksum(256, 192, 64)), 'the checksum a plain JavaScript render gives');
});
