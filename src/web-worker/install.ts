import { availableParallelism } from 'node:os';
import { nodePlatform } from '../runtime/node/node-platform.js';
import { fetchWithFiles } from './file-fetch.js';
import { WebWorker } from './web-worker.js';

const INSTALLED = Symbol.for('weft.web-worker.installed');

function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

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
  if ((scope as { self?: unknown }).self === undefined) defineGlobal('self', globalThis);
  installWindowMessageEvents();
  if (scope.navigator === undefined) {
    defineGlobal('navigator', { hardwareConcurrency: availableParallelism(), language: 'en-US', languages: ['en-US'], userAgent: `Node.js/${process.versions.node}` });
  }
  nodePlatform.prepareEngine({ nodeLiftoffWorkaround: true });
}

/**
 * `self.addEventListener('message', ...)` on a thread that is not a worker, as on a browser page:
 * browser glue listens there at import time (wasm-bindgen-rayon 1.2+'s helper does, in every
 * realm it is loaded into). Message listeners go to a target of weft's own, which nothing posts
 * to and which keeps nothing alive (Bun's own global message listener would keep the process
 * running for ever); other event types stay with the runtime (Deno dispatches load and
 * unhandledrejection on its global).
 */
function installWindowMessageEvents(): void {
  const messages = new EventTarget();
  const scope = globalThis as Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;
  const runtimeAdd = scope.addEventListener?.bind(globalThis);
  const runtimeRemove = scope.removeEventListener?.bind(globalThis);
  const isMessage = (type: string): boolean => type === 'message' || type === 'messageerror';
  defineGlobal('addEventListener', (type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean) =>
    isMessage(type) || runtimeAdd === undefined ? messages.addEventListener(type, listener, options) : runtimeAdd(type, listener, options),
  );
  defineGlobal('removeEventListener', (type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean) =>
    isMessage(type) || runtimeRemove === undefined ? messages.removeEventListener(type, listener, options) : runtimeRemove(type, listener, options),
  );
  if ((globalThis as { dispatchEvent?: unknown }).dispatchEvent === undefined) defineGlobal('dispatchEvent', messages.dispatchEvent.bind(messages));
}
