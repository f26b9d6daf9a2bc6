// Which parameters of a wasm-bindgen glue function only borrow their typed array (so a fast call
// may hand them a view of the call arena): the shapes wasm-bindgen generates, the shapes that
// must be copied, and the real crates' glue in node_modules.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { borrowedParameters, classify } from '../../dist/worker/bindgen-borrowed-arguments.js';

const BORROWED = {
  'a &[u8] export': [`function sum(data) {
    const ptr0 = passArray8ToWasm0(data, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.sum(ptr0, len0);
    return ret >>> 0;
}`, [true]],
  'a method with a number and two slices of other types': [`mix(count, values, weights) {
        const ptr0 = passArrayF64ToWasm0(values, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passArray32ToWasm0(weights, wasm.__wbindgen_export);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.thing_mix(this.__wbg_ptr, count, ptr0, len0, ptr1, len1);
        return ret;
    }`, [false, true, true]],
  'an async method (the copy happens before anything is awaited)': [`async load(bytes) {
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.thing_load(this.__wbg_ptr, ptr0, len0);
        return ret;
    }`, [true]],
  '&mut [u8], older glue: copied back in a finally': [`function alter(a, b) {
    try {
        var ptr0 = passArray8ToWasm0(a, wasm.__wbindgen_malloc);
        var len0 = WASM_VECTOR_LEN;
        wasm.alter(ptr0, len0, b);
    } finally {
        a.set(getUint8Memory0().subarray(ptr0 / 1, ptr0 / 1 + len0));
        wasm.__wbindgen_free(ptr0, len0 * 1);
    }
}`, [true, false]],
  '&mut [f32], newer glue with externrefs: the slice itself follows its pointer and length': [`process_block(input_l, input_r, active) {
        var ptr0 = passArrayF32ToWasm0(input_l, wasm.__wbindgen_malloc);
        var len0 = WASM_VECTOR_LEN;
        var ptr1 = passArrayF32ToWasm0(input_r, wasm.__wbindgen_malloc);
        var len1 = WASM_VECTOR_LEN;
        wasm.sbrprocessor_process_block(this.__wbg_ptr, ptr0, len0, input_l, ptr1, len1, input_r, active);
    }`, [true, true, false]],
  '&mut [u8], newer glue without externrefs: addHeapObject(slice)': [`function fill(data, value) {
    var ptr0 = passArray8ToWasm0(data, wasm.__wbindgen_malloc);
    var len0 = WASM_VECTOR_LEN;
    wasm.fill(ptr0, len0, addHeapObject(data), value);
}`, [true, false]],
  'a trailing comma': [`function f(data,) { const ptr0 = passArray8ToWasm0(data, wasm.__wbindgen_malloc); wasm.f(ptr0, WASM_VECTOR_LEN); }`, [true]],
};

const COPIED = {
  'an argument it stores': [`function keep(data) {
    kept = data;
    const ptr0 = passArray8ToWasm0(data, wasm.__wbindgen_malloc);
    return wasm.sum(ptr0, WASM_VECTOR_LEN);
}`, []],
  'an argument it returns': ['function echo(value) { passArray8ToWasm0(value, wasm.__wbindgen_malloc); return value; }', []],
  'an argument passed to wasm without its own slice before it': [`function f(data, other) {
    const ptr0 = passArray8ToWasm0(other, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    wasm.f(ptr0, len0, data);
}`, [false, true]],
  'the name in a template string': ['function f(data) { const p = passArray8ToWasm0(data, m); log(`${data}`); }', []],
  'a nested function that reuses the name': ['function f(data) { passArray8ToWasm0(data, m); later(function (data) { return data; }); }', []],
  'a nested function that copies it later, when the arena may hold another call': ['function f(data) { setTimeout(() => passArray8ToWasm0(data, m), 10); }', []],
  'arguments': ['function f(data) { passArray8ToWasm0(data, m); store(arguments); }', []],
  'a default parameter': ['function f(data, n = 1) { passArray8ToWasm0(data, m); }', []],
  'a destructured parameter': ['function f({ data }) { passArray8ToWasm0(data, m); }', []],
  'a rest parameter': ['function f(...data) { passArray8ToWasm0(data, m); }', []],
  'minified glue': ['function(e){const t=p(e,n.__wbindgen_malloc),r=o;return n.sum(t,r)>>>0}', []],
  'an arrow function': ['(data) => { passArray8ToWasm0(data, m); }', []],
  'native code': ['function () { [native code] }', []],
  'no source': [undefined, []],
};

test('the generated shapes of slice parameters are borrowed, and only those parameters', () => {
  for (const [shape, [source, expected]] of Object.entries(BORROWED)) assert.deepEqual(classify(source), expected, shape);
});

test('anything else is copied: kept, returned, aliased, unusual parameters, minified or unreadable source', () => {
  for (const [shape, [source, expected]] of Object.entries(COPIED)) assert.deepEqual(classify(source), expected, shape);
});

test('borrowedParameters reads a function\'s own source, once', () => {
  function sum(data) {
    const ptr0 = passArray8ToWasm0(data, wasm.__wbindgen_malloc);
    return wasm.sum(ptr0, WASM_VECTOR_LEN);
  }
  const first = borrowedParameters(sum);
  assert.deepEqual(first, [true]);
  assert.equal(borrowedParameters(sum), first, 'cached');
  assert.deepEqual(borrowedParameters(sum.bind(null)), [], 'a bound function has no source');
  assert.deepEqual(borrowedParameters(Math.max), []);
});

const nodeModules = new URL('../../node_modules/', import.meta.url);

test('@jsquash/oxipng (wasm-bindgen 0.2.92): optimise and optimise_raw borrow their image, nothing else', async () => {
  for (const build of ['pkg', 'pkg-parallel']) {
    const glue = await import(new URL(`@jsquash/oxipng/codec/${build}/squoosh_oxipng.js`, nodeModules).href);
    assert.deepEqual(borrowedParameters(glue.optimise), [true, false, false, false], `${build}: optimise(data, level, interlace, optimize_alpha)`);
    assert.deepEqual(borrowedParameters(glue.optimise_raw), [true, false, false, false, false, false], `${build}: optimise_raw(data, width, height, …)`);
    assert.deepEqual(borrowedParameters(glue.default), [], `${build}: init`);
  }
});

/**
 * The source of a member of `export class className` in a glue's text, from `head` to its
 * closing brace. Why from the text: tfhe's rayon snippet needs a browser to import.
 */
function memberText(source, className, head) {
  const start = source.indexOf(head, source.indexOf(`export class ${className} `));
  assert.ok(start !== -1 && source.indexOf(`export class ${className} `) !== -1, `${className}: ${head}`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1).replace(/^static /, '');
  }
  throw new Error(`unbalanced ${head}`);
}

test('tfhe 1.6.1 (wasm-bindgen 0.2.118): slices of static functions and methods are borrowed; objects and numbers are not', async () => {
  const source = await readFile(new URL('tfhe/tfhe.js', nodeModules), 'utf8');
  const members = [
    ['Boolean', 'static deserialize_ciphertext(buffer) {', [true]],
    ['CompactCiphertextListBuilder', 'build_packed_seeded(seed) {', [true]],
    ['CompactCiphertextListBuilder', 'build_with_proof_packed_seeded(crs, metadata, compute_load, seed) {', [false, true, false, true]],
    ['CompactCiphertextListBuilder', 'push_boolean(value) {', []],
  ];
  for (const [className, head, expected] of members) {
    const text = memberText(source, className, head);
    assert.match(text, /passArray8ToWasm0|wasm\./, `${head}: the member's text`);
    assert.deepEqual(classify(text), expected, `${className}: ${head}`);
  }
});
