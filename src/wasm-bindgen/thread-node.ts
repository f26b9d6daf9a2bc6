import type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';
import { createNodeWorkerPort } from '../worker/node-port.js';
import { serveBindgenThreadOn } from '../worker/bindgen-thread.js';
import { assertServableGlue } from './served-glue.js';

export type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';

/**
 * The whole of a worker file for `createBindgenPool({ glue, createWorker })` in Node.js (see the browser version).
 * @throws InvalidArgumentError when `glue` is not a wasm-bindgen glue namespace.
 */
export function serveBindgenThread(glue: GlueNamespace): void {
  assertServableGlue(glue);
  serveBindgenThreadOn(createNodeWorkerPort(), glue);
}
