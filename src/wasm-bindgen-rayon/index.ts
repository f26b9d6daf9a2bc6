import { browserPlatform } from '../runtime/browser/browser-platform.js';
import { type RayonPoolBuilder, startRayonPoolOn, startRayonWorkersOn, type StartRayonPoolOptions } from './start-workers.js';

export { configureRayon, rayonWorkerCount, stopRayonWorkers, type RayonHelperOptions, type RayonPoolBuilder, type StartRayonPoolOptions } from './start-workers.js';

/**
 * Drop-in for wasm-bindgen-rayon's `workerHelpers.js` (browsers): alias the glue's
 * `./snippets/wasm-bindgen-rayon-<hash>/src/workerHelpers.js` to this module and the glue's
 * own `initThreadPool(n)` starts weft workers. See the README for Vite and webpack; without a
 * bundler use `startRayonPool` (import maps do not reach module workers).
 */
export function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, builder: RayonPoolBuilder): Promise<void> {
  return startRayonWorkersOn(browserPlatform, import.meta.url, module, memory, builder);
}

/**
 * Builds the glue's rayon pool on weft threads instead of calling the glue's own
 * `initThreadPool(threads)`: no alias, hook or import map needed. Call it after the glue's
 * `init()`, e.g. `await startRayonPool({ glue: new URL('./pkg/my_crate.js', import.meta.url), threads: 4 })`.
 */
export function startRayonPool(options: StartRayonPoolOptions): Promise<void> {
  return startRayonPoolOn(browserPlatform, options);
}
