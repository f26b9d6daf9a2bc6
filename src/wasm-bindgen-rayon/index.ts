import { browserPlatform } from '../runtime/browser/browser-platform.js';
import { type RayonPoolBuilder, startRayonWorkersOn } from './start-workers.js';

export { configureRayon, rayonWorkerCount, stopRayonWorkers, type RayonHelperOptions, type RayonPoolBuilder } from './start-workers.js';

/**
 * Drop-in for wasm-bindgen-rayon's `workerHelpers.js` (browsers): alias the glue's
 * `./snippets/wasm-bindgen-rayon-<hash>/src/workerHelpers.js` to this module and the glue's
 * own `initThreadPool(n)` starts weft workers. See the README for Vite, webpack and import maps.
 */
export function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, builder: RayonPoolBuilder): Promise<void> {
  return startRayonWorkersOn(browserPlatform, import.meta.url, module, memory, builder);
}
