import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_ARENA_BYTES, ARENA_VALUES } from '../../dist/protocol/bindgen-call-layout.js';
import { measureValues, readValues, ValueArena, writeValues } from '../../dist/protocol/bindgen-values.js';

function roundTrip(values, keptObjects = null) {
  const size = measureValues(values, keptObjects);
  assert.notEqual(size, undefined, 'encodable');
  const arena = new ValueArena(new SharedArrayBuffer(Math.max(size, INITIAL_ARENA_BYTES)));
  writeValues(arena, values, keptObjects);
  return readValues(arena, values.length);
}

const backing = new Uint8Array([9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9]).buffer;
const ENCODABLE = [
  0, -0, 1.5, NaN, -Infinity, Number.MAX_VALUE, true, false, undefined, null, 0n, -(2n ** 63n), 2n ** 63n - 1n,
  '', 'héllo wörld ✓ 🎉', 'x'.repeat(5000),
  new Int8Array([-1, 2]), new Uint8Array([1, 2, 255]), new Uint8ClampedArray([0, 255]), new Int16Array([-300, 300]),
  new Uint16Array([65535]), new Int32Array([-1, 2 ** 30]), new Uint32Array([2 ** 32 - 1]), new Float32Array([1.5, -2]),
  new Float64Array([Math.PI, -0]), new BigInt64Array([-5n, 2n ** 62n]), new BigUint64Array([2n ** 64n - 1n]),
  new Uint16Array(backing, 2, 4), new DataView(backing, 1, 5), backing.slice(0),
];

test('every encodable value reads back as structured clone would give it: same type, same contents, a fresh copy', () => {
  const { values, keptObjects } = roundTrip(ENCODABLE);
  assert.deepEqual(keptObjects, ENCODABLE.map(() => null));
  for (const [index, value] of ENCODABLE.entries()) {
    const read = values[index];
    assert.deepEqual(read, structuredClone(value), `value ${index}`);
    if (typeof value === 'object' && value !== null) {
      assert.equal(Object.getPrototypeOf(read), Object.getPrototypeOf(value), `value ${index}: same type`);
      assert.ok(!(read.buffer instanceof SharedArrayBuffer) && !(read instanceof SharedArrayBuffer), `value ${index}: not a view of the arena`);
    }
  }
  assert.ok(Object.is(values[1], -0), '-0 stays -0');
});

test('a Node Buffer arrives as a Uint8Array, as structured clone gives it', () => {
  const { values } = roundTrip([Buffer.from('abc')]);
  assert.equal(Object.getPrototypeOf(values[0]), Uint8Array.prototype);
  assert.deepEqual([...values[0]], [97, 98, 99]);
});

test('kept objects travel as their ids', () => {
  const { values, keptObjects } = roundTrip([7, null, 'x'], [null, 42, null]);
  assert.deepEqual(values, [7, null, 'x']);
  assert.deepEqual(keptObjects, [null, 42, null]);
});

test('values that structured clone treats differently, or that need a message, are not encodable', () => {
  const shared = new Uint8Array(new SharedArrayBuffer(4));
  const detached = new Uint8Array(8);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  const notEncodable = [
    {}, [], [1, 2], new Map(), () => 1, Symbol('s'), 2n ** 63n, -(2n ** 63n) - 1n, 'lone \ud800 surrogate', new Date(0),
    new Number(1), shared, shared.buffer, detached, new Uint8Array(0), new ArrayBuffer(0), new ArrayBuffer(8, { maxByteLength: 16 }),
  ];
  for (const value of notEncodable) assert.equal(measureValues([value], null), undefined, String(value?.constructor?.name ?? typeof value));
  assert.equal(measureValues(new Array(ARENA_VALUES + 1).fill(1), null), undefined, 'too many values');
});

test('the measure covers what is written', () => {
  const values = ['é'.repeat(100), new Uint8Array(1001), 3];
  const size = measureValues(values, null);
  assert.ok(size >= 512 + 200 + 1001);
  const arena = new ValueArena(new SharedArrayBuffer(size));
  writeValues(arena, values, null);
  assert.deepEqual(readValues(arena, 3).values, values);
});

test('strings read back the same on both sides of the short-ASCII copy: ASCII and not, up to and past 64 characters', () => {
  const strings = [
    'add', 'a', '\x7f', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), 'é', 'abcé', 'é'.repeat(64), `${'a'.repeat(63)}€`,
    '\u0000nul', 'emoji 🎉', 'ÿ', 'a\u0080b',
  ];
  const { values } = roundTrip(strings);
  assert.deepEqual(values, strings);
  // The bytes are UTF-8 either way: a string written one way reads back the other way.
  const arena = new ValueArena(new SharedArrayBuffer(INITIAL_ARENA_BYTES));
  writeValues(arena, ['é', 'x'.repeat(65)], null);
  assert.deepEqual([...arena.bytes.subarray(arena.words[2], arena.words[2] + 2)], [0xc3, 0xa9]);
  assert.deepEqual(readValues(arena, 2).values, ['é', 'x'.repeat(65)]);
});
