import type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';
import { createNodeWorkerPort } from '../worker/node-port.js';
import { serveBindgenThreadOn } from '../worker/bindgen-thread.js';

export type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';

/** The whole of a worker file for `createBindgenPool({ glue, createWorker })` in Node.js (see the browser version). */
export function serveBindgenThread(glue: GlueNamespace): void {
  serveBindgenThreadOn(createNodeWorkerPort(), glue);
}
