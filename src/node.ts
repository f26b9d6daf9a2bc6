import { createPoolOn } from './core/create-pool.js';
import type { PoolOptions } from './core/options.js';
import type { Pool } from './core/pool.js';
import { nodePlatform } from './runtime/node/node-platform.js';

export * from './public-types.js';

/** Starts a pool of worker threads running one wasm module over one shared memory (Node.js). */
export function createPool(options: PoolOptions): Promise<Pool> {
  return createPoolOn(nodePlatform, options);
}
