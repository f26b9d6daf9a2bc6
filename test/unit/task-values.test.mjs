import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeControlLayout, createControlViews } from '../../dist/protocol/control-layout.js';
import { checkArguments, readArguments, readResult, writeArguments, writeResult } from '../../dist/protocol/task-values.js';
import { InvalidArgumentError } from '../../dist/errors/index.js';

const layout = computeControlLayout(8, 2);
const views = createControlViews(new SharedArrayBuffer(layout.byteLength));

test('arguments of every wasm number type round-trip through an entry', () => {
  const args = [1, -2147483648, 2 ** 53, -0.5, 2n ** 63n - 1n, -(2n ** 63n), Number.NaN, Infinity];
  writeArguments(views, layout, 3, 5, args);
  const back = readArguments(views, layout, 3);
  assert.deepEqual(back, args);
  assert.equal(typeof back[4], 'bigint');
});

test('results: none, one number, one bigint, several', () => {
  for (const result of [undefined, 42, -1.25, 7n, [1, 2n, 3.5], [9]]) {
    assert.equal(writeResult(views, layout, 9, result), true);
    assert.deepEqual(readResult(views, layout, 9), result);
  }
  assert.equal(writeResult(views, layout, 9, 'text'), false);
  assert.equal(writeResult(views, layout, 9, [1, 'x']), false);
});

test('checkArguments refuses non-numbers and too many arguments', () => {
  assert.throws(() => checkArguments('f', ['1']), InvalidArgumentError);
  assert.throws(() => checkArguments('f', [null]), /null/);
  assert.throws(() => checkArguments('f', new Array(9).fill(1)), /at most 8/);
  checkArguments('f', [1, 2n]);
});
