import { createPoolOn } from './core/create-pool.js';
import type { PoolOptions } from './core/options.js';
import type { Pool } from './core/pool.js';
import { browserPlatform } from './runtime/browser/browser-platform.js';

export * from './public-types.js';

/** Starts a pool of Web Workers running one wasm module over one shared memory (browsers). */
export function createPool(options: PoolOptions): Promise<Pool> {
  return createPoolOn(browserPlatform, options);
}
