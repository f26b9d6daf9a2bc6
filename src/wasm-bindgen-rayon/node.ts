import { nodePlatform } from '../runtime/node/node-platform.js';
import { type RayonPoolBuilder, startRayonPoolOn, startRayonWorkersOn, type StartRayonPoolOptions } from './start-workers.js';

export { configureRayon, rayonWorkerCount, stopRayonWorkers, type RayonHelperOptions, type RayonPoolBuilder, type StartRayonPoolOptions } from './start-workers.js';

// Why: the glue imports this module before it compiles its wasm; on Node 20 rayon's pool start
// hangs under Liftoff (see createPool's nodeLiftoffWorkaround), so turn it off now, once.
nodePlatform.prepareEngine({ nodeLiftoffWorkaround: true });

/**
 * Drop-in for wasm-bindgen-rayon's `workerHelpers.js` (Node.js): with
 * `node --import weft/wasm-bindgen-rayon/register`, the glue's own `initThreadPool(n)` starts
 * weft worker threads, which let the process exit when idle.
 */
export function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, builder: RayonPoolBuilder): Promise<void> {
  return startRayonWorkersOn(nodePlatform, import.meta.url, module, memory, builder);
}

/**
 * Builds the glue's rayon pool on weft threads instead of calling the glue's own
 * `initThreadPool(threads)`: no alias, hook or import map needed. Call it after the glue's
 * `init()`, e.g. `await startRayonPool({ glue: new URL('./pkg/my_crate.js', import.meta.url), threads: 4 })`.
 */
export function startRayonPool(options: StartRayonPoolOptions): Promise<void> {
  return startRayonPoolOn(nodePlatform, options);
}
