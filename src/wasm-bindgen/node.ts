import { nodePlatform } from '../runtime/node/node-platform.js';
import type { BindgenPool, UntypedGlue } from './bindgen-pool.js';
import { createBindgenPoolOn } from './create-bindgen-pool.js';
import type { BindgenPoolOptions } from './options.js';

export * from './public-types.js';

/**
 * Starts worker threads that each initialize one wasm-bindgen glue on a shared module and
 * memory, and run its exports (`run`, `runOn`, `broadcast`); with `rayonThreads`, also builds
 * the crate's wasm-bindgen-rayon pool (Node.js: `glue` may be a file path). Give the glue's type
 * for typed calls: `createBindgenPool<typeof import('./pkg/my_crate.js')>({ glue: path })`.
 */
export function createBindgenPool<Glue = UntypedGlue>(options: BindgenPoolOptions<Glue>): Promise<BindgenPool<Glue>> {
  return createBindgenPoolOn<Glue>(nodePlatform, options);
}
