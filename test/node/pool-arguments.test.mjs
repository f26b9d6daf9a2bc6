// What the pool's methods check before a task is queued: parallelFor's i32 bounds, and the
// list of exports a MissingExportError shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import wabt from 'wabt';
import { createPool, InvalidArgumentError, MissingExportError } from '../../dist/node.js';
import { wasmUrl } from '../fixtures/paths.mjs';

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

test('parallelFor takes bounds anywhere in the i32 range and refuses fractions, NaN and numbers outside it', async () => {
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 1 });
  try {
    assert.equal((await pool.parallelFor('add_i32', I32_MIN, I32_MIN + 2, { chunkSize: 1 })).length, 2);
    assert.equal((await pool.parallelFor('add_i32', I32_MAX - 2, I32_MAX, { chunkSize: 1 })).length, 2);
    for (const [start, end] of [[0.5, 4], [0, 4.5], [Number.NaN, 4], [0, Infinity], [I32_MIN - 1, 0], [0, I32_MAX + 1], ['0', 4]]) {
      await assert.rejects(pool.parallelFor('add_i32', start, end), InvalidArgumentError, `start=${start} end=${end}`);
    }
  } finally {
    await pool.close();
  }
});

test('a missing export\'s message lists the first 20 function exports and how many there are', async () => {
  const names = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}`);
  const wat = `(module (import "env" "memory" (memory 1 1 shared))
    ${names.map((name) => `(func (export "${name}"))`).join('\n    ')}
    (func (export "__internal")))`;
  const bytes = (await wabt()).parseWat('many-exports.wat', wat, { threads: true }).toBinary({}).buffer;
  const pool = await createPool({ module: bytes, threads: 1 });
  try {
    await assert.rejects(pool.run('missing'), (error) => {
      assert.ok(error instanceof MissingExportError);
      assert.match(error.message, /Its function exports: f00, f01, .*, f19, … \(25 in all\)\.$/);
      assert.doesNotMatch(error.message, /f20|__internal/);
      return true;
    });
  } finally {
    await pool.close();
  }
});
