import type { HostToWorkerMessage, WorkerToHostMessage } from '../protocol/messages.js';

/** One worker as the pool sees it, whatever the platform. */
export interface WorkerHandle {
  /** Sends a message; the objects in `transfer` move to the worker (a caller's `transfer()` marks). */
  postMessage(message: HostToWorkerMessage, transfer?: readonly Transferable[]): void;
  /** Called with each message from the worker (foreign ones included; the pool filters). */
  onMessage(listener: (message: WorkerToHostMessage | unknown) => void): void;
  /** Called once if the worker fails to load or dies; `error` says why. */
  onFailure(listener: (error: Error) => void): void;
  /** Ends the worker at once, even in the middle of a wasm busy loop (but see `Platform.terminateStopsRunningCode`). */
  terminate(): Promise<void>;
  /** Node: whether this worker keeps the process alive (true while tasks are in flight); a no-op in browsers. */
  keepAlive(alive: boolean): void;
}

/** What the pool needs from Node.js or the browser; the pool itself imports neither. */
export interface Platform {
  readonly name: 'node' | 'browser';
  /**
   * False where a terminated worker goes on running the code it was in until that code returns
   * (Deno 2.9: denoland/deno#35657), so a pool waits for its running tasks before close() resolves.
   */
  readonly terminateStopsRunningCode: boolean;
  /** Starts a worker that runs weft's worker entry; `threadId` is only for naming it. */
  createWorker(threadId: number): WorkerHandle;
  /**
   * Wraps a worker the caller made (a Web Worker, or a worker_threads Worker in Node) that runs
   * weft's worker side; throws InvalidOptionError naming `option` when it is something else.
   */
  adoptWorker(worker: unknown, option: string): WorkerHandle;
  /** Threads to use when the caller does not say. */
  defaultThreadCount(): number;
  /** An absolute URL for a URL, a relative URL (browsers: against the page) or (Node) a file path. */
  toAbsoluteUrl(source: string | URL): string;
  /** Loads the bytes behind a URL or (Node) a file path. */
  loadBytes(source: string | URL): Promise<Uint8Array>;
  /** Throws NotCrossOriginIsolatedError / SharedMemoryUnavailableError when threads cannot work here. */
  assertSharedMemoryAvailable(): void;
  /** True where the host can await `Atomics.waitAsync`. */
  hasWaitAsync(): boolean;
  /** Applies engine workarounds needed before threaded wasm runs (Node 20's Liftoff bug). */
  prepareEngine(options: { readonly nodeLiftoffWorkaround: boolean }): void;
}
