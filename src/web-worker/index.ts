/**
 * `weft/web-worker`: the web's `Worker` and worker globals for Node.js, Deno and Bun, so that
 * threaded wasm glue written for browsers runs unchanged.
 * @packageDocumentation
 */
export { installWebWorkers } from './install.js';
export { WebWorker, type WebWorkerOptions } from './web-worker.js';
export type { WebEventHandler } from './message-target.js';
