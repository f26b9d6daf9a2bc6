import { createPoolOn } from './core/create-pool.js';
import type { PoolOptions } from './core/options.js';
import type { Pool } from './core/pool.js';
import { nodePlatform } from './runtime/node/node-platform.js';
import type { ModuleSource } from './core/module-source.js';
import { NodeDirectory } from './wasi/fs/node-directory.js';
import type { RunWasiOptions } from './wasi-threads/options.js';
import { runWasiOn, type WasiExit } from './wasi-threads/run-wasi.js';

export * from './public-types.js';
export { NodeDirectory } from './wasi/fs/node-directory.js';

/** Starts a pool of worker threads running one wasm module over one shared memory (Node.js). */
export function createPool(options: PoolOptions): Promise<Pool> {
  return createPoolOn(nodePlatform, options);
}

/**
 * Runs a WASI command (wasm32-wasip1, or wasm32-wasip1-threads with thread-spawn) on worker
 * threads; resolves to `{ exitCode }`, rejects with the trap error (Node.js: preopens may be
 * host paths; output goes to process.stdout and process.stderr by default).
 */
export function runWasi(module: ModuleSource, options: RunWasiOptions = {}): Promise<WasiExit> {
  return runWasiOn(
    nodePlatform,
    {
      stdout: (bytes) => process.stdout.write(bytes.slice()),
      stderr: (bytes) => process.stderr.write(bytes.slice()),
      openHostDirectory: (hostPath) => new NodeDirectory(hostPath),
    },
    module,
    options,
  );
}
