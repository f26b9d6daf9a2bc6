// Locations of the built library and the wasm modules, relative to the repo root.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export const repoRoot = new URL('../../', import.meta.url);

const dirUrl = (dir) => pathToFileURL(path.resolve(dir) + path.sep);
/** wasm/ of the repo, or BENCH_WASM_DIR (to try the bench on other builds of the modules). */
export const wasmDir = process.env.BENCH_WASM_DIR ? dirUrl(process.env.BENCH_WASM_DIR) : new URL('wasm/', repoRoot);
/** dist/ of the repo, or BENCH_DIST_DIR (another build of weft). */
export const distDir = process.env.BENCH_DIST_DIR ? dirUrl(process.env.BENCH_DIST_DIR) : new URL('dist/', repoRoot);
export const wasmUrl = (name) => new URL(name, wasmDir);
export const workerUrl = (name) => new URL(`bench/workers/${name}`, repoRoot);
/** bench/native/ (owned separately), or BENCH_NATIVE_DIR. */
export const nativeDir = process.env.BENCH_NATIVE_DIR ? dirUrl(process.env.BENCH_NATIVE_DIR) : new URL('bench/native/', repoRoot);
export const exists = (url) => existsSync(fileURLToPath(url));

let weftPromise;
/**
 * Import dist/node.js once. Rejects with a short reason when the library is not built or has
 * no createPool, so each weft row can print "n/a (reason)" instead of crashing the bench.
 */
export function loadWeft() {
  weftPromise ??= (async () => {
    const url = new URL('node.js', distDir);
    if (!exists(url)) throw new Error('dist/node.js not built');
    const mod = await import(url.href);
    if (typeof mod.createPool !== 'function') throw new Error('dist/node.js exports no createPool');
    return mod;
  })();
  return weftPromise;
}

/** Reject with a short reason when a wasm module is missing (built concurrently by others). */
export function requireWasm(name) {
  const url = wasmUrl(name);
  if (!exists(url)) throw new Error(`wasm/${name} not built yet`);
  return url;
}
