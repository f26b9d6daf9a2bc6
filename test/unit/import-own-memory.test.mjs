// importOwnMemory and the binary readers on modules of every size: a plain wasip1 program's
// memory becomes a shared import, and nothing else changes, byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importOwnMemory, REWRITE_HEADROOM, rewriteOwnMemory } from '../../dist/core/import-own-memory.js';
import { readMemoryImports } from '../../dist/core/wasm-binary.js';
import { largeWasip1Module, listSections } from '../fixtures/wasi/large-wasip1.mjs';
import { uleb } from '../fixtures/wasm-encoding.mjs';

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const name = (s) => [s.length, ...new TextEncoder().encode(s)];
const section = (id, body) => [id, body.length, ...body];
const module = (...sections) => new Uint8Array([...header, ...sections.flat()]);
const SECTION = { custom: 0, type: 1, import: 2, memory: 5, export: 7, code: 10, data: 11 };
const MiB = 1024 * 1024;

function bodyOf(bytes, entry) {
  return bytes.subarray(entry.start, entry.end);
}

/** Every section but the import and memory sections must come through unchanged. */
function assertOnlyMemoryMoved(original, rewritten) {
  const before = listSections(original).filter((s) => s.id !== SECTION.memory && s.id !== SECTION.import);
  const after = listSections(rewritten).filter((s) => s.id !== SECTION.import);
  assert.deepEqual(after.map((s) => s.id), before.map((s) => s.id));
  for (const [i, entry] of after.entries()) {
    assert.ok(Buffer.from(bodyOf(rewritten, entry)).equals(bodyOf(original, before[i])), `section ${entry.id} is unchanged`);
  }
  assert.equal(listSections(rewritten).filter((s) => s.id === SECTION.import).length, 1, 'one import section');
}

test('a module with code, data and custom sections of several MB each is rewritten, compiles and runs', async () => {
  const original = largeWasip1Module({ codeBytes: 4 * MiB, dataBytes: 4 * MiB, customBytes: 2 * MiB, message: 'big one\n' });
  const rewritten = importOwnMemory(original);
  assert.ok(rewritten instanceof Uint8Array);
  assertOnlyMemoryMoved(original, rewritten);
  const [memory] = readMemoryImports(rewritten);
  const pages = Math.ceil((1024 + 4 * MiB) / 65536) + 1;
  assert.deepEqual(memory, { module: 'env', name: 'memory', initial: pages, maximum: 65536, shared: true, index64: false });

  const compiled = await WebAssembly.compile(rewritten);
  assert.deepEqual(WebAssembly.Module.imports(compiled).map((i) => `${i.module}.${i.name}:${i.kind}`), [
    'wasi_snapshot_preview1.fd_write:function',
    'env.memory:memory',
  ]);
  const shared = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
  let printed = '';
  const fd_write = (fd, iovs, count, written) => {
    const view = new DataView(shared.buffer);
    for (let i = 0; i < count; i++) {
      const pointer = view.getUint32(iovs + 8 * i, true);
      const length = view.getUint32(iovs + 8 * i + 4, true);
      printed += new TextDecoder().decode(new Uint8Array(shared.buffer).slice(pointer, pointer + length));
    }
    view.setUint32(written, printed.length, true);
    return fd === 1 ? 0 : 8;
  };
  const instance = await WebAssembly.instantiate(compiled, { wasi_snapshot_preview1: { fd_write }, env: { memory: shared } });
  instance.exports._start();
  assert.equal(printed, 'big one\n');
});

test('in place, with room before the module, only the sections up to the memory section are rewritten', async () => {
  const original = largeWasip1Module({ codeBytes: 2 * MiB, dataBytes: 2 * MiB, customBytes: 64, message: 'in place\n' });
  const buffer = new ArrayBuffer(REWRITE_HEADROOM + original.length);
  const input = new Uint8Array(buffer, REWRITE_HEADROOM, original.length);
  input.set(original);
  const rewrite = rewriteOwnMemory(input, { inPlace: true });
  assert.equal(rewrite.bytes.buffer, buffer, 'the same buffer');
  assert.equal(rewrite.bytes.byteOffset + rewrite.bytes.length, REWRITE_HEADROOM + original.length, 'ending where the module ended');
  assert.ok(Buffer.from(rewrite.bytes).equals(importOwnMemory(original)), 'the same bytes as a copying rewrite');
  const code = listSections(original).find((s) => s.id === SECTION.code);
  input[code.end - 1] ^= 0xff;
  assert.equal(rewrite.bytes.at(code.end - 1 - original.length), input[code.end - 1], 'the code was not copied: it is the same memory');
  input[code.end - 1] ^= 0xff;
  await WebAssembly.compile(rewrite.bytes);
  assert.ok(Buffer.from(rewrite.restore()).equals(original), 'restore() gives back the input');
  assert.equal(rewrite.restore(), input);
});

test('without room before it, or without inPlace, the input is left alone', () => {
  const original = largeWasip1Module({ codeBytes: 4096, dataBytes: 4096 });
  const tight = original.slice();
  const copied = rewriteOwnMemory(tight, { inPlace: true });
  assert.notEqual(copied.bytes.buffer, tight.buffer);
  assert.ok(Buffer.from(tight).equals(original));
  const roomy = new Uint8Array(new ArrayBuffer(REWRITE_HEADROOM + original.length), REWRITE_HEADROOM);
  roomy.set(original);
  const notInPlace = rewriteOwnMemory(roomy, { inPlace: false });
  assert.notEqual(notInPlace.bytes.buffer, roomy.buffer);
  assert.ok(Buffer.from(roomy).equals(original));
  assert.ok(Buffer.from(notInPlace.bytes).equals(copied.bytes));
  assert.equal(notInPlace.restore(), roomy);
});

test('rewriting takes time linear in the size: a 16 MB module in well under a second', () => {
  const small = largeWasip1Module({ codeBytes: 2 * MiB, dataBytes: 2 * MiB });
  const large = largeWasip1Module({ codeBytes: 8 * MiB, dataBytes: 8 * MiB });
  importOwnMemory(small); // warm-up
  const start = performance.now();
  const rewritten = importOwnMemory(large);
  const elapsed = performance.now() - start;
  assert.ok(Math.abs(rewritten.length - large.length) < 32, 'the memory section became an import entry');
  // Why so loose: the machine may be busy. A copy per section takes milliseconds; a loop over
  // every byte through a JS array (what this replaced) takes seconds at this size.
  assert.ok(elapsed < 1000, `rewrote 16 MB in ${elapsed.toFixed(0)} ms`);
});

test('a module with 90,000 imports (V8 allows 100,000): its memory import is found, and a defined memory is appended to them', async () => {
  const count = 90_000;
  const entries = new Uint8Array(count * 12);
  let length = 0;
  for (let i = 0; i < count; i++) {
    const field = `f${i}`;
    entries.set([1, 0x6d, field.length], length); // module "m", then the field's length
    for (let j = 0; j < field.length; j++) entries[length + 3 + j] = field.charCodeAt(j);
    length += 3 + field.length;
    entries.set([0x00, 0x00], length); // a function of type 0
    length += 2;
  }
  const imports = (extra) => {
    const rest = new Uint8Array(extra.flat());
    const countBytes = uleb(count + extra.length);
    const size = countBytes.length + length + rest.length;
    const out = new Uint8Array(1 + uleb(size).length + size);
    out.set([SECTION.import, ...uleb(size), ...countBytes]);
    out.set(entries.subarray(0, length), 1 + uleb(size).length + countBytes.length);
    out.set(rest, out.length - rest.length);
    return out;
  };
  const join = (...parts) => {
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  };
  const types = section(SECTION.type, [1, 0x60, 0, 0]);
  const withMemoryImport = join(header, types, imports([[...name('env'), ...name('memory'), 0x02, 0x03, 2, 10]]));
  assert.deepEqual(readMemoryImports(withMemoryImport), [{ module: 'env', name: 'memory', initial: 2, maximum: 10, shared: true, index64: false }]);
  assert.equal(importOwnMemory(withMemoryImport), undefined, 'a module that imports its memory is left alone');

  const own = join(header, types, imports([]), section(SECTION.memory, [1, 0x01, 1, 4]));
  const rewritten = importOwnMemory(own);
  const compiled = await WebAssembly.compile(rewritten);
  const moduleImports = WebAssembly.Module.imports(compiled);
  assert.equal(moduleImports.length, count + 1);
  assert.deepEqual(moduleImports.at(-1), { module: 'env', name: 'memory', kind: 'memory' });
  assert.deepEqual(readMemoryImports(rewritten), [{ module: 'env', name: 'memory', initial: 1, maximum: 4, shared: true, index64: false }]);
});

test('small modules: the import section is placed after the type section, custom sections stay where they were', async () => {
  const memory = section(SECTION.memory, [1, 0x00, 1]);
  const custom = section(SECTION.custom, [...name('note'), 1, 2, 3]);
  const exportMemory = section(SECTION.export, [1, ...name('mem'), 0x02, 0]);
  for (const original of [
    module(memory),
    module(custom, memory, exportMemory, custom),
    module(section(SECTION.type, [1, 0x60, 0, 0]), custom, memory),
  ]) {
    const rewritten = importOwnMemory(original);
    assertOnlyMemoryMoved(original, rewritten);
    const compiled = await WebAssembly.compile(rewritten);
    assert.deepEqual(WebAssembly.Module.imports(compiled), [{ module: 'env', name: 'memory', kind: 'memory' }]);
    assert.deepEqual(readMemoryImports(rewritten)[0], { module: 'env', name: 'memory', initial: 1, maximum: 65536, shared: true, index64: false });
  }
});

test('modules of another shape are left alone', () => {
  assert.equal(importOwnMemory(module()), undefined, 'no memory');
  assert.equal(importOwnMemory(module(section(SECTION.memory, [2, 0x00, 1, 0x00, 1]))), undefined, 'two memories');
  assert.equal(importOwnMemory(module(section(SECTION.memory, [1, 0x04, 1]))), undefined, 'a 64-bit memory');
  assert.throws(() => importOwnMemory(new Uint8Array([...header, SECTION.memory, 10, 1])), RangeError, 'a section past the end');
});
