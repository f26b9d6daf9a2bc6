import { InvalidArgumentError, MissingExportError, PoolClosedError, WorkerExitError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import type { WorkerToHostMessage } from '../protocol/messages.js';
import { checkArguments, type TaskResult, type WasmValue } from '../protocol/task-values.js';
import type { Dispatcher } from './dispatcher.js';
import { checkCallSignature } from './export-signatures.js';
import type { ModuleInfo } from './module-info.js';
import type { WorkerHandle } from './platform.js';

/** Options of `pool.parallelFor`. */
export interface ParallelForOptions {
  /** Indices per task; default: the range split into about four tasks per thread. At most 2^20 chunks per call. */
  readonly chunkSize?: number;
  /** Extra arguments passed to the export after the chunk's start and end. */
  readonly args?: readonly WasmValue[];
}

const CHUNKS_PER_THREAD = 4;
/** Most chunks of one parallelFor call (each is a task with its own promise and result). */
const MAX_PARALLEL_FOR_CHUNKS = 2 ** 20;
/**
 * Longest close() waits, where terminate() does not stop running code, for the tasks that were
 * running to return; a task still running after it may write to memory after close() resolved.
 */
const RUNNING_TASK_GRACE_MS = 2_000;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/**
 * A pool of workers, each with its own instance of one module over one shared memory.
 * Created by `createPool`; every method returns a promise that always settles.
 */
export class Pool {
  private closing: Promise<void> | undefined;
  private readonly exportIndex: Map<string, number>;

  /** @internal Use `createPool`. */
  constructor(
    /** The compiled module every thread runs. */
    readonly module: WebAssembly.Module,
    /** The memory all threads share. */
    readonly memory: WebAssembly.Memory,
    private readonly info: ModuleInfo,
    private readonly workers: readonly WorkerHandle[],
    private readonly dispatcher: Dispatcher,
    private readonly terminateStopsRunningCode: boolean,
  ) {
    this.exportIndex = new Map(info.functionExports.map((name, index) => [name, index]));
  }

  /** Number of threads (workers) in the pool. */
  get threads(): number {
    return this.workers.length;
  }

  /** True once `close()` was called (or a worker died and the pool closed itself). */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Runs an export on one free thread; tasks beyond the thread count wait their turn. */
  run(exportName: string, ...args: WasmValue[]): Promise<TaskResult> {
    try {
      const index = this.prepare(exportName, args);
      this.dispatcher.assertRoomFor(1);
      return this.dispatcher.submit(index, args);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Runs an export on the thread `threadId` (0 … threads-1), after the tasks already aimed at it. */
  runOn(threadId: number, exportName: string, ...args: WasmValue[]): Promise<TaskResult> {
    try {
      if (!Number.isInteger(threadId) || threadId < 0 || threadId >= this.threads) {
        throw new InvalidArgumentError(`runOn: threadId must be an integer from 0 to ${this.threads - 1}, got ${String(threadId)}.`);
      }
      const index = this.prepare(exportName, args);
      this.dispatcher.assertRoomFor(1);
      return this.dispatcher.submit(index, args, threadId);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Runs an export once on every thread; results are indexed by thread id (0 … threads-1). */
  broadcast(exportName: string, ...args: WasmValue[]): Promise<TaskResult[]> {
    try {
      const index = this.prepare(exportName, args);
      this.dispatcher.assertRoomFor(this.workers.length);
      return Promise.all(this.workers.map((_, threadId) => this.dispatcher.submit(index, args, threadId)));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Splits the integer range [start, end) into chunks run on the pool's threads; the export
   * is called as `(chunkStart, chunkEnd, ...options.args)`. Resolves to the chunks' results in order.
   */
  parallelFor(exportName: string, start: number, end: number, options: ParallelForOptions = {}): Promise<TaskResult[]> {
    try {
      if (typeof options !== 'object' || options === null) {
        throw new InvalidArgumentError(`parallelFor: the options must be an object like { chunkSize: 64 }, got ${options === null ? 'null' : typeof options}.`);
      }
      if (!isI32(start) || !isI32(end) || end < start) {
        throw new InvalidArgumentError(`parallelFor needs integer bounds with start <= end in the i32 range, got start=${String(start)} end=${String(end)}.`);
      }
      const extra = options.args ?? [];
      if (!Array.isArray(extra)) throw new InvalidArgumentError('parallelFor: "args" must be an array of wasm numbers.');
      const length = end - start;
      const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(length / (this.threads * CHUNKS_PER_THREAD)));
      if (!Number.isInteger(chunkSize) || chunkSize < 1) {
        throw new InvalidArgumentError(`parallelFor: "chunkSize" must be a positive integer, got ${String(options.chunkSize)}.`);
      }
      const chunkCount = Math.ceil(length / chunkSize);
      if (chunkCount > MAX_PARALLEL_FOR_CHUNKS) {
        throw new InvalidArgumentError(`parallelFor: [${start}, ${end}) in chunks of ${chunkSize} makes ${chunkCount} chunks; one call runs at most ${MAX_PARALLEL_FOR_CHUNKS} chunks. Pass a larger "chunkSize", or leave it out to get a few chunks per thread.`);
      }
      const index = this.prepare(exportName, [start, end, ...extra]);
      this.dispatcher.assertRoomFor(chunkCount);
      const tasks: Promise<TaskResult>[] = [];
      for (let chunkStart = start; chunkStart < end; chunkStart += chunkSize) {
        tasks.push(this.dispatcher.submit(index, [chunkStart, Math.min(end, chunkStart + chunkSize), ...extra]));
      }
      return Promise.all(tasks);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Ends every worker; tasks not yet settled reject with PoolClosedError. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutDown(() => new PoolClosedError('The weft pool was closed before this task finished.'));
    return this.closing;
  }

  /** `close()`, for `await using pool = await createPool(…)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal Routes a worker's message after start-up. */
  handleMessage(message: WorkerToHostMessage): void {
    if (message.type === 'task-failed') this.dispatcher.failTask(message.entry, deserializeError(message.error));
    else if (message.type === 'wake') this.dispatcher.onWakeMessage();
  }

  /** @internal A worker died: its task cannot finish and shared memory may be inconsistent, so the pool closes. */
  handleWorkerFailure(threadId: number, error: Error): void {
    if (this.closing !== undefined) return;
    const message = `Worker ${threadId} ended unexpectedly (${error.message}); the pool closed itself, since shared memory may be left inconsistent.`;
    this.closing = this.shutDown(() => new WorkerExitError(threadId, message, { cause: error }));
  }

  private async shutDown(reason: () => Error): Promise<void> {
    this.dispatcher.stop(reason);
    await Promise.allSettled(this.workers.map((worker) => worker.terminate()));
    if (!this.terminateStopsRunningCode) await this.runningTasksReturned(RUNNING_TASK_GRACE_MS);
  }

  /** Resolves once no thread runs a task (each leaves its loop then: STOP is set), or after `limitMs`. */
  private async runningTasksReturned(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    const running = (): boolean => this.workers.some((_, threadId) => this.dispatcher.runningEntry(threadId) !== undefined);
    while (running() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  private prepare(exportName: string, args: readonly unknown[]): number {
    if (this.closing !== undefined) throw new PoolClosedError();
    const index = this.exportIndex.get(exportName);
    if (index === undefined) throw this.missingExport(exportName);
    checkArguments(exportName, args);
    const signature = this.info.signatures?.get(exportName);
    if (signature !== undefined) checkCallSignature(exportName, args, signature);
    return index;
  }

  private missingExport(exportName: string): MissingExportError {
    const kind = this.info.exportKinds.get(exportName);
    if (kind !== undefined) return new MissingExportError(exportName, `The export "${exportName}" is a ${kind}, not a function.`);
    const names = this.info.functionExports.filter((name) => !name.startsWith('__'));
    const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? `, … (${names.length} in all)` : '');
    return new MissingExportError(exportName, `The module has no export "${String(exportName)}". Its function exports: ${shown || '(none)'}.`);
  }
}

function isI32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= I32_MIN && value <= I32_MAX;
}
