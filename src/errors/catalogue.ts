import { WeftError } from './weft-error.js';

/**
 * The bytes, URL or object given as `module` is not a WebAssembly module weft can load.
 * `code`: `WEFT_INVALID_MODULE`.
 */
export class InvalidModuleError extends WeftError {
  constructor(message: string, options?: ErrorOptions) {
    super('WEFT_INVALID_MODULE', message, options);
  }
}

/**
 * The module's memory import cannot be shared across threads (not shared, no maximum, absent).
 * `code`: `WEFT_MEMORY_IMPORT`.
 */
export class MemoryImportError extends WeftError {
  constructor(message: string, options?: ErrorOptions) {
    super('WEFT_MEMORY_IMPORT', message, options);
  }
}

/**
 * The `memory` option does not satisfy the module's memory import.
 * `code`: `WEFT_MEMORY_MISMATCH`.
 */
export class MemoryMismatchError extends WeftError {
  constructor(message: string, options?: ErrorOptions) {
    super('WEFT_MEMORY_MISMATCH', message, options);
  }
}

/**
 * The memory has no room (below its maximum) for the per-thread stacks weft must allocate.
 * `code`: `WEFT_MEMORY_EXHAUSTED`.
 */
export class MemoryExhaustedError extends WeftError {
  constructor(message: string, options?: ErrorOptions) {
    super('WEFT_MEMORY_EXHAUSTED', message, options);
  }
}

/**
 * A task named an export that does not exist or is not a function.
 * `code`: `WEFT_MISSING_EXPORT`.
 */
export class MissingExportError extends WeftError {
  readonly exportName: string;
  constructor(exportName: string, message: string) {
    super('WEFT_MISSING_EXPORT', message);
    this.exportName = exportName;
  }
}

/** An option passed to weft has the wrong type or range. `code`: `WEFT_INVALID_OPTION`. */
export class InvalidOptionError extends WeftError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('WEFT_INVALID_OPTION', message);
    this.option = option;
  }
}

/**
 * An argument of a call does not fit: a task argument that is not a wasm number of the export's
 * parameter type and range, an export whose types a task cannot pass, a bad `parallelFor` range.
 * `code`: `WEFT_INVALID_ARGUMENT`.
 */
export class InvalidArgumentError extends WeftError {
  constructor(message: string, options?: ErrorOptions) {
    super('WEFT_INVALID_ARGUMENT', message, options);
  }
}

/**
 * The module imports something other than its memory, which a raw pool cannot provide.
 * `code`: `WEFT_UNSUPPORTED_IMPORT`.
 */
export class UnsupportedImportError extends WeftError {
  constructor(message: string) {
    super('WEFT_UNSUPPORTED_IMPORT', message);
  }
}

/**
 * A clang-built module uses a shadow stack but does not export what weft needs to give each
 * thread its own.
 * `code`: `WEFT_THREAD_SYMBOLS`.
 */
export class ThreadSymbolsError extends WeftError {
  constructor(message: string) {
    super('WEFT_THREAD_SYMBOLS', message);
  }
}

/**
 * The pool was closed: the task was never run, or was stopped while it ran.
 * `code`: `WEFT_POOL_CLOSED`.
 */
export class PoolClosedError extends WeftError {
  constructor(message = 'The weft pool is closed: create a new pool with createPool() to run more tasks.') {
    super('WEFT_POOL_CLOSED', message);
  }
}

/**
 * The pool already holds `maxQueuedTasks` tasks waiting for a place in its queue: await some
 * before submitting more. `code`: `WEFT_QUEUE_FULL`.
 */
export class QueueFullError extends WeftError {
  constructor(message: string) {
    super('WEFT_QUEUE_FULL', message);
  }
}

/** A worker could not be started, or did not become ready. `code`: `WEFT_WORKER_START`. */
export class WorkerStartError extends WeftError {
  constructor(message: string, options?: ErrorOptions) {
    super('WEFT_WORKER_START', message, options);
  }
}

/**
 * A worker ended unexpectedly (crashed, ran out of memory, or was terminated from outside).
 * `code`: `WEFT_WORKER_EXIT`.
 */
export class WorkerExitError extends WeftError {
  readonly threadId: number;
  constructor(threadId: number, message: string, options?: ErrorOptions) {
    super('WEFT_WORKER_EXIT', message, options);
    this.threadId = threadId;
  }
}

/**
 * The page is not cross-origin isolated, so browsers withhold `SharedArrayBuffer`.
 * `code`: `WEFT_NOT_ISOLATED`.
 */
export class NotCrossOriginIsolatedError extends WeftError {
  constructor(
    message = 'This page is not cross-origin isolated, so the browser withholds SharedArrayBuffer and wasm threads cannot run. ' +
      'Serve the page with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
      '"Cross-Origin-Embedder-Policy: require-corp" (or "credentialless"); `weft serve`, "weft/middleware" and "weft/vite" send them, ' +
      'and the service worker "weft/isolation-sw.js" adds them where the host cannot. ' +
      'To see what this page lacks, run explainIsolation() from "weft/isolation" and read its `text`.',
  ) {
    super('WEFT_NOT_ISOLATED', message);
  }
}

/**
 * This JavaScript engine has no `SharedArrayBuffer` / shared `WebAssembly.Memory` at all.
 * `code`: `WEFT_NO_SHARED_MEMORY`.
 */
export class SharedMemoryUnavailableError extends WeftError {
  constructor(
    message = 'SharedArrayBuffer is not available in this JavaScript environment, so wasm threads cannot run. ' +
      'weft needs a browser with cross-origin isolation or Node.js 20 or later.',
  ) {
    super('WEFT_NO_SHARED_MEMORY', message);
  }
}
