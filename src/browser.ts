import { createPoolOn } from './core/create-pool.js';
import type { PoolOptions } from './core/options.js';
import type { Pool } from './core/pool.js';
import { browserPlatform } from './runtime/browser/browser-platform.js';
import { InvalidOptionError } from './errors/catalogue.js';
import type { ModuleSource } from './core/module-source.js';
import type { RunWasiOptions } from './wasi-threads/options.js';
import { runWasiOn, type WasiExit } from './wasi-threads/run-wasi.js';

export * from './public-types.js';

/** Starts a pool of Web Workers running one wasm module over one shared memory (browsers). */
export function createPool(options: PoolOptions): Promise<Pool> {
  return createPoolOn(browserPlatform, options);
}

const decoder = new TextDecoder();

/**
 * Runs a WASI command (wasm32-wasip1, or wasm32-wasip1-threads with thread-spawn) on Web
 * Workers; resolves to `{ exitCode }`, rejects with the trap error. `_start` never runs on
 * the page's thread. Preopens are directory objects such as `MemoryDirectory`; output goes
 * to the console by default.
 */
export function runWasi(module: ModuleSource, options: RunWasiOptions = {}): Promise<WasiExit> {
  return runWasiOn(
    browserPlatform,
    {
      stdout: (bytes) => console.log(decoder.decode(bytes.slice()).replace(/\n$/, '')),
      stderr: (bytes) => console.error(decoder.decode(bytes.slice()).replace(/\n$/, '')),
      openHostDirectory: (hostPath) => {
        throw new InvalidOptionError('preopens', `Browsers have no host directories: preopen "${hostPath}" must be a directory object such as MemoryDirectory.`);
      },
    },
    module,
    options,
  );
}
