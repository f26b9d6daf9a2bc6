import { MemoryMismatchError, WorkerStartError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import { WeftError } from '../errors/weft-error.js';
import { type HostToWorkerMessage, isWeftMessage, type ReadyMessage, type WorkerToHostMessage } from '../protocol/messages.js';
import type { Platform, WorkerHandle } from './platform.js';

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
  /** Receives every weft message after a worker is ready. */
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
 * ends the workers already started) if any fails, or if they are not all ready in time. The time
 * (`timeoutMs`) counts from when the last init message was posted.
 */
export function startWorkers(options: StartWorkersOptions): Promise<WorkerHandle[]> {
  const workers: WorkerHandle[] = [];
  let started = false;
  let readyCount = 0;
  if (options.count === 0) return Promise.resolve(workers);
  return new Promise<WorkerHandle[]>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: Error): void => {
      if (started) return;
      started = true;
      if (timer !== undefined) clearTimeout(timer);
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => reject(error));
    };
    let unposted = options.count;
    const post = (worker: WorkerHandle, message: HostToWorkerMessage): void => {
      if (started) return;
      worker.postMessage(message);
      if (--unposted > 0) return;
      timer = setTimeout(() => {
        fail(new WorkerStartError(`Only ${readyCount} of ${options.count} workers were ready after ${options.timeoutMs} ms; pass a larger startTimeout if the machine is very busy.`));
      }, options.timeoutMs);
    };
    const first = options.firstThreadId ?? 0;
    for (let threadId = first; threadId < first + options.count; threadId++) {
      let worker: WorkerHandle;
      try {
        worker = options.platform.createWorker(threadId);
      } catch (error) {
        fail(error instanceof WeftError ? error : new WorkerStartError(`Could not create worker ${threadId}: ${(error as Error).message}`, { cause: error }));
        return;
      }
      workers.push(worker);
      worker.onMessage((data) => {
        if (!isWeftMessage(data)) return;
        const message = data as WorkerToHostMessage;
        if (message.type === 'ready') {
          options.onReady?.(threadId, message);
          if (++readyCount === options.count && !started) {
            started = true;
            if (timer !== undefined) clearTimeout(timer);
            resolve(workers);
          }
        } else if (message.type === 'init-failed' && !started) {
          fail(describeInitFailure(threadId, deserializeError(message.error)));
        } else if (started) {
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
    }
  });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function describeInitFailure(threadId: number, cause: Error): Error {
  if ((cause as { code?: unknown }).code !== undefined) return cause;
  if (cause instanceof WebAssembly.LinkError && /memory/i.test(cause.message)) {
    return new MemoryMismatchError(`The "memory" option does not match the module's memory import: ${cause.message}`, { cause });
  }
  return new WorkerStartError(`Worker ${threadId} could not instantiate the module: ${cause.message}`, { cause });
}
