import { availableParallelism } from 'node:os';
import { nodePlatform } from '../runtime/node/node-platform.js';
import { fetchWithFiles } from './file-fetch.js';
import { defineGlobal, installWindowGlobals } from './window-globals.js';
import { WebWorker } from './web-worker.js';

const INSTALLED = Symbol.for('weft.web-worker.installed');

/**
 * Makes this thread, and every worker started from it, look enough like a browser for threaded
 * wasm glue written for the web: a `Worker` (weft's, on `node:worker_threads`, replacing Deno's
 * and Bun's own so that every runtime gets the same lifetime rules), `fetch` of `file:` URLs,
 * `navigator.hardwareConcurrency`, and on Node 20 the Liftoff workaround (a process-wide V8
 * flag; see createPool's `nodeLiftoffWorkaround`). Calling it again does nothing.
 *
 * For Node, `node --import weft/web-worker/register app.js` does it before the app loads; in
 * Deno and Bun import `weft/web-worker/register` first, or call this before the glue runs.
 */
export function installWebWorkers(): void {
  const scope = globalThis as { [INSTALLED]?: true; navigator?: unknown };
  if (scope[INSTALLED] === true) return;
  scope[INSTALLED] = true;
  defineGlobal('Worker', WebWorker);
  defineGlobal('fetch', fetchWithFiles(globalThis.fetch.bind(globalThis)));
  installWindowGlobals();
  if (scope.navigator === undefined) {
    defineGlobal('navigator', { hardwareConcurrency: availableParallelism(), language: 'en-US', languages: ['en-US'], userAgent: `Node.js/${process.versions.node}` });
  }
  nodePlatform.prepareEngine({ nodeLiftoffWorkaround: true });
}
