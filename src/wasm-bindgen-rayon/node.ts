import { nodePlatform } from '../runtime/node/node-platform.js';
import { type RayonPoolBuilder, startRayonWorkersOn } from './start-workers.js';

export { configureRayon, rayonWorkerCount, stopRayonWorkers, type RayonHelperOptions, type RayonPoolBuilder } from './start-workers.js';

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
