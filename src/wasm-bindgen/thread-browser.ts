import type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';
import { createBrowserWorkerPort } from '../worker/browser-port.js';
import { serveBindgenThreadOn } from '../worker/bindgen-thread.js';
import { assertServableGlue } from './served-glue.js';

export type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';

/**
 * The whole of a worker file for `createBindgenPool({ glue, createWorker })`: import the glue
 * statically (so a bundler bundles it) and hand it to weft.
 *
 * ```js
 * import * as glue from './pkg/my_crate.js';
 * import { serveBindgenThread } from 'weft/wasm-bindgen/thread';
 * serveBindgenThread(glue);
 * ```
 * @throws InvalidArgumentError when `glue` is not a wasm-bindgen glue namespace.
 */
export function serveBindgenThread(glue: GlueNamespace): void {
  assertServableGlue(glue);
  serveBindgenThreadOn(createBrowserWorkerPort(), glue);
}
