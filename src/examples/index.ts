/**
 * A tiny threaded module that ships with weft, for trying it out (the README's quick start).
 * @module
 */

/**
 * The URL of `hello.wasm`, a freestanding C module built with atomics over a shared memory
 * (source: `wasm/src/hello.c` in the package). Among its exports: `count(n)` adds 1 to one
 * shared counter n times with atomics, `counter_value()` reads the counter, and
 * `sum_range(start, end)` returns the sum of the integers in [start, end). Pass it as
 * `createPool({ module: helloWasm })`.
 *
 * Why a URL made here: `new URL(path, import.meta.url)` resolves from this file's place in the
 * package, in Node, Deno, Bun and browsers alike, and bundlers see the pattern and copy the file.
 */
export const helloWasm: URL = new URL('../../wasm/hello.wasm', import.meta.url);
