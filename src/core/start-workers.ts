import { MemoryMismatchError, WorkerStartError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import { WeftError } from '../errors/weft-error.js';
import { type HostToWorkerMessage, isWeftMessage, type ReadyMessage, type WorkerToHostMessage } from '../protocol/messages.js';
import type { Platform, WorkerHandle } from './platform.js';
import { isPromiseLike } from './promise-like.js';

/** Workers that boot at once even on a one-core machine (one may wait on the caller's work). */
const MIN_CONCURRENT_STARTS = 2;

export interface StartWorkersOptions {
  readonly platform: Platform;
  readonly count: number;
  /** Thread id of the first worker (later ones count up); default 0. */
  readonly firstThreadId?: number;
  readonly timeoutMs: number;
  /**
   * The message that starts worker `threadId`. A promise lets the worker boot while the caller
   * still prepares it (loads and compiles the module); if it rejects, the start fails with its error.
   */
  initFor(threadId: number): HostToWorkerMessage | PromiseLike<HostToWorkerMessage>;
  /** Receives every weft message of a worker once it is ready (others of the batch may still start). */
  onMessage(threadId: number, message: WorkerToHostMessage): void;
  /** Receives a worker's failure after the pool started. */
  onFailure(threadId: number, error: Error): void;
  /** Receives each worker's ready message (it may carry what the worker reports of itself). */
  onReady?(threadId: number, message: ReadyMessage): void;
  /** Receives the weft messages a worker sends while it is starting (requests it needs answered to get ready). */
  onStartingMessage?(threadId: number, message: WorkerToHostMessage, worker: WorkerHandle): void;
}

/**
 * Starts `count` workers and resolves once every one has instantiated the module; rejects (and
 * ends the workers already started) if any fails, or if for `timeoutMs` none became ready while
 * some had their init message. At most about one worker per core boots at a time, the next one
 * created as one becomes ready.
 * Why: every booting worker is a thread that creates an engine instance; 64 at once on 2 cores
 * starved the caller's event loop for seconds, and 100,000 grew memory until the process died.
 */
export function startWorkers(options: StartWorkersOptions): Promise<WorkerHandle[]> {
  const workers: WorkerHandle[] = [];
  let started = false;
  let readyCount = 0;
  if (options.count === 0) return Promise.resolve(workers);
  const first = options.firstThreadId ?? 0;
  const end = first + options.count;
  const concurrency = Math.max(MIN_CONCURRENT_STARTS, options.platform.defaultThreadCount());
  return new Promise<WorkerHandle[]>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let next = first;
    /** Workers whose init message was posted and that are not ready yet. */
    let booting = 0;
    const fail = (error: Error): void => {
      if (started) return;
      started = true;
      if (timer !== undefined) clearTimeout(timer);
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => reject(error));
    };
    const armTimer = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = booting === 0 ? undefined : setTimeout(() => {
        fail(new WorkerStartError(`Only ${readyCount} of ${options.count} workers were ready, and none more became ready within ${options.timeoutMs} ms; pass a larger startTimeout if the machine is very busy.`));
      }, options.timeoutMs);
    };
    const post = (worker: WorkerHandle, message: HostToWorkerMessage): void => {
      if (started) return;
      worker.postMessage(message);
      booting++;
      if (timer === undefined) armTimer();
    };
    const createNext = (): void => {
      if (started || next >= end) return;
      const threadId = next++;
      let worker: WorkerHandle;
      try {
        worker = options.platform.createWorker(threadId);
      } catch (error) {
        fail(error instanceof WeftError ? error : new WorkerStartError(`Could not create worker ${threadId}: ${(error as Error).message}`, { cause: error }));
        return;
      }
      workers.push(worker);
      let ready = false;
      worker.onMessage((data) => {
        if (!isWeftMessage(data)) return;
        const message = data as WorkerToHostMessage;
        if (message.type === 'ready') {
          ready = true;
          options.onReady?.(threadId, message);
          if (started) return;
          booting--;
          if (++readyCount === options.count) {
            started = true;
            if (timer !== undefined) clearTimeout(timer);
            resolve(workers);
            return;
          }
          armTimer();
          createNext();
        } else if (message.type === 'init-failed' && !started) {
          fail(describeInitFailure(threadId, deserializeError(message.error)));
        } else if (ready || started) {
          // Why a ready worker's messages go on while others still start: it may already run a
          // program's thread (wasi-threads), whose signals to the host must not be dropped.
          options.onMessage(threadId, message);
        } else {
          options.onStartingMessage?.(threadId, message, worker);
        }
      });
      worker.onFailure((error) => {
        if (!started) fail(new WorkerStartError(`Worker ${threadId} failed to start: ${error.message}`, { cause: error }));
        else options.onFailure(threadId, error);
      });
      const init = options.initFor(threadId);
      if (isPromiseLike(init)) {
        init.then(
          (message) => post(worker, message),
          (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
        );
      } else {
        post(worker, init);
      }
    };
    for (let k = 0; k < concurrency; k++) createNext();
  });
}

function describeInitFailure(threadId: number, cause: Error): Error {
  if ((cause as { code?: unknown }).code !== undefined) return cause;
  if (cause instanceof WebAssembly.LinkError && /memory/i.test(cause.message)) {
    return new MemoryMismatchError(`The "memory" option does not match the module's memory import: ${cause.message}`, { cause });
  }
  return new WorkerStartError(`Worker ${threadId} could not instantiate the module: ${cause.message}`, { cause });
}
