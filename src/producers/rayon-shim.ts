import { type GlueNamespace, glueExport } from './wasm-bindgen-glue.js';

/** What the glue's `startWorkers` hands each of its workers. */
export interface RayonThreadRequest {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly receiver: number;
}

/** Starts one wasm-bindgen-rayon pool thread; resolves once it runs the glue. */
export type RayonThreadStarter = (request: RayonThreadRequest) => Promise<void>;

type MessageListener = (event: { data: unknown }) => void;

// Why a global symbol: where a bundler replaced the glue's helper with weft's drop-in
// (`weft/wasm-bindgen-rayon`), initThreadPool calls that instead of making Workers; the drop-in
// looks here to start its threads the pool's way. Symbol.for works across bundled copies.
const ACTIVE_STARTER = Symbol.for('weft.rayon-thread-starter');

/** The thread starter of the `initThreadPoolThrough` call in progress on this thread, if any. */
export function activeRayonThreadStarter(): RayonThreadStarter | undefined {
  return (globalThis as { [ACTIVE_STARTER]?: RayonThreadStarter })[ACTIVE_STARTER];
}

/**
 * Calls the glue's `initThreadPool(threads)` with weft starting the pool's threads instead of
 * the helper that wasm-bindgen-rayon ships (which works only in browsers, with its own worker
 * file, and cannot be shut down).
 *
 * Why this works without touching the glue: every version of the shipped `startWorkers`
 * creates all its workers synchronously inside the `initThreadPool` call, posts each one
 * `{ module, memory, receiver }` (1.0/1.1) or `{ init: { module_or_path, memory }, receiver }`
 * (1.2+), and waits for one message back. For the length of that call `Worker` is a stand-in
 * that hands the receiver to `startThread` and answers once the thread runs.
 */
export function initThreadPoolThrough(glue: GlueNamespace, threads: number, startThread: RayonThreadStarter): Promise<void> {
  const initThreadPool = glueExport(glue, 'initThreadPool');
  if (typeof initThreadPool !== 'function') {
    return Promise.reject(new TypeError('The glue has no initThreadPool export: only crates that use wasm-bindgen-rayon (and re-export its init_thread_pool) can start a rayon pool.'));
  }
  let failStart!: (error: unknown) => void;
  const startFailed = new Promise<never>((_, reject) => {
    failStart = reject;
  });

  class RayonWorkerStandIn {
    private readonly listeners = new Set<MessageListener>();
    postMessage(message: unknown): void {
      const request = requestOf(message);
      if (request === undefined) {
        failStart(new TypeError('The glue\'s startWorkers posted a message without module, memory and a numeric receiver; this wasm-bindgen-rayon version is not supported.'));
        return;
      }
      // Why: a real `new Worker` made while the stand-in is installed would be a stand-in too;
      // by the next microtask initThreadPool has returned and `Worker` is the real one again.
      queueMicrotask(() => {
        startThread(request).then(
          // Why: 1.0 accepts any first message; 1.2+ checks for this type.
          () => this.emit({ type: 'wasm_bindgen_worker_ready' }),
          (error: unknown) => failStart(error),
        );
      });
    }
    addEventListener(type: string, listener: MessageListener, options?: { once?: boolean }): void {
      if (type !== 'message') return;
      const wrapped: MessageListener = options?.once
        ? (event) => {
            this.listeners.delete(wrapped);
            listener(event);
          }
        : listener;
      this.listeners.add(wrapped);
    }
    removeEventListener(_type: string, listener: MessageListener): void {
      this.listeners.delete(listener);
    }
    set onmessage(listener: MessageListener) {
      this.listeners.add(listener);
    }
    terminate(): void {
      // weft owns the real thread and ends it with the pool.
    }
    private emit(data: unknown): void {
      for (const listener of [...this.listeners]) listener({ data });
    }
  }

  const saved = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  Object.defineProperty(globalThis, 'Worker', { value: RayonWorkerStandIn, configurable: true, writable: true });
  const scope = globalThis as { [ACTIVE_STARTER]?: RayonThreadStarter };
  scope[ACTIVE_STARTER] = startThread;
  let started: Promise<unknown>;
  try {
    started = Promise.resolve((initThreadPool as (threads: number) => unknown)(threads));
  } catch (error) {
    started = Promise.reject(error);
  } finally {
    delete scope[ACTIVE_STARTER];
    if (saved !== undefined) Object.defineProperty(globalThis, 'Worker', saved);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
  return Promise.race([started, startFailed]).then(() => undefined);
}

/** Reads both message shapes: 1.0/1.1 `{ module, memory, receiver }`, 1.2+ `{ init: { module_or_path, memory }, receiver }`. */
function requestOf(message: unknown): RayonThreadRequest | undefined {
  const m = message as { module?: unknown; memory?: unknown; receiver?: unknown; init?: { module_or_path?: unknown; memory?: unknown } } | null;
  const module = m?.module ?? m?.init?.module_or_path;
  const memory = m?.memory ?? m?.init?.memory;
  if (!(module instanceof WebAssembly.Module) || !(memory instanceof WebAssembly.Memory) || typeof m?.receiver !== 'number') return undefined;
  return { module, memory, receiver: m.receiver };
}
