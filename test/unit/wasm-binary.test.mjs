import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasWasmHeader, readGlobalNames, readMemoryImports } from '../../dist/core/wasm-binary.js';

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const name = (s) => [s.length, ...new TextEncoder().encode(s)];
function section(id, body) {
  return [id, body.length, ...body];
}

test('reads memory import limits after other imports', () => {
  const imports = [
    3,
    ...name('env'), ...name('f'), 0x00, 0x00, // func, type 0
    ...name('env'), ...name('g'), 0x03, 0x7f, 0x00, // global i32 const
    ...name('odd module'), ...name('some memory'), 0x02, 0x03, 0x01, 0x90, 0x01, // shared, min 1, max 144
  ];
  const types = [1, 0x60, 0, 0];
  const bytes = new Uint8Array([...header, ...section(1, types), ...section(2, imports)]);
  assert.ok(hasWasmHeader(bytes));
  assert.deepEqual(readMemoryImports(bytes), [
    { module: 'odd module', name: 'some memory', initial: 1, maximum: 144, shared: true, index64: false },
  ]);
});

test('a memory without maximum or shared flag is reported as such', () => {
  const imports = [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x02];
  const [memory] = readMemoryImports(new Uint8Array([...header, ...section(2, imports)]));
  assert.equal(memory.shared, false);
  assert.equal(memory.maximum, undefined);
  assert.equal(memory.initial, 2);
});

test('global names come from subsection 7 of the name section', () => {
  const globals = [2, 0, ...name('__stack_pointer'), 3, ...name('__tls_base')];
  const functions = [1, 0, ...name('f')];
  const names = readGlobalNames(new Uint8Array([1, functions.length, ...functions, 7, globals.length, ...globals]));
  assert.deepEqual([...names], [[0, '__stack_pointer'], [3, '__tls_base']]);
});

test('non-wasm bytes are recognised', () => {
  assert.equal(hasWasmHeader(new TextEncoder().encode('<!doctype html>')), false);
  assert.equal(hasWasmHeader(new Uint8Array()), false);
});
