import { describeValue } from '../../core/option-checks.js';
import type { Platform, WorkerHandle } from '../../core/platform.js';
import { InvalidOptionError, NotCrossOriginIsolatedError, SharedMemoryUnavailableError } from '../../errors/catalogue.js';
import type { HostToWorkerMessage } from '../../protocol/messages.js';

// Why: Firefox has collected running workers that hold shared memory when no live `Worker`
// object referred to them (bug 1702191, which wasm-bindgen-rayon works around the same way);
// a worker still starting is referred to only by its own listeners. Every worker weft starts is
// kept here until weft ends it.
const liveWorkers = new Set<Worker>();

class BrowserWorkerHandle implements WorkerHandle {
  constructor(private readonly worker: Worker) {
    liveWorkers.add(worker);
  }

  postMessage(message: HostToWorkerMessage, transfer: readonly Transferable[] = []): void {
    this.worker.postMessage(message, transfer as never);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.worker.addEventListener('message', (event) => listener(event.data));
  }

  onFailure(listener: (error: Error) => void): void {
    // Why: a module worker that fails to load (404, wrong MIME type, syntax error) fires a
    // bare 'error' event without details; say what usually causes it.
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      const detail = event.message || 'the worker script failed to load or threw while starting (check that weft\'s dist/worker files are served as JavaScript)';
      listener(new Error(detail));
    });
    this.worker.addEventListener('messageerror', () => listener(new Error('a message from the worker could not be deserialized')));
  }

  terminate(): Promise<void> {
    this.worker.terminate();
    liveWorkers.delete(this.worker);
    return Promise.resolve();
  }

  keepAlive(): void {
    // Browsers have no process to keep alive.
  }
}

/** Module Web Workers, fetch, and the cross-origin isolation check. */
export const browserPlatform: Platform = {
  name: 'browser',
  terminateStopsRunningCode: true,

  createWorker(threadId) {
    // Why: bundlers (Vite, webpack, Parcel) find worker files only in this literal form; a URL
    // held in a variable or built with `??` is not rewritten and breaks after bundling.
    const worker = new Worker(new URL('../../worker/browser-entry.js', import.meta.url), { type: 'module', name: `weft-${threadId}` });
    return new BrowserWorkerHandle(worker);
  },

  adoptWorker(worker, option) {
    if (typeof Worker === 'undefined' || !(worker instanceof Worker)) {
      throw new InvalidOptionError(option, `"${option}" must return a Worker, e.g. () => new Worker(new URL('./thread.js', import.meta.url), { type: 'module' }); it returned ${describeValue(worker)}.`);
    }
    return new BrowserWorkerHandle(worker);
  },

  defaultThreadCount() {
    return globalThis.navigator?.hardwareConcurrency || 4;
  },

  toAbsoluteUrl(source) {
    return new URL(source, baseUrl()).href;
  },

  async loadBytes(source) {
    const response = await fetch(new URL(source, baseUrl()));
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  },

  assertSharedMemoryAvailable() {
    if (globalThis.crossOriginIsolated === false) throw new NotCrossOriginIsolatedError();
    if (typeof SharedArrayBuffer === 'undefined') throw new SharedMemoryUnavailableError();
  },

  hasWaitAsync() {
    return typeof Atomics.waitAsync === 'function';
  },

  prepareEngine() {
    // Nothing to adjust in browsers.
  },
};

function baseUrl(): string | undefined {
  return typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
}
