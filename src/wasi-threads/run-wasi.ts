import { WorkerExitError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import type { ModuleSource } from '../core/module-source.js';
import type { Platform, WorkerHandle } from '../core/platform.js';
import { chooseWakeMode } from '../core/option-checks.js';
import { startWorkers } from '../core/start-workers.js';
import { createControlViews, type ControlViews } from '../protocol/control-layout.js';
import { ENVELOPE, type WakeMode, type WasiInitMessage, type WorkerToHostMessage } from '../protocol/messages.js';
import { computeWasiLayout, type WasiLayout, WasiHeader, WorkerSlot, workerSlotIndex, WorkerState } from '../protocol/wasi-layout.js';
import { resolveRunWasiOptions, type ResolvedRunWasiOptions, type RunWasiOptions, type WasiExit } from './options.js';
import { fitsHostThread, runOnHostThread } from './host-thread.js';
import { openPreopens, type PreparedProgram, prepareProgram, type WasiPlatformDefaults } from './prepare-program.js';
import { SyscallServer } from './syscall-server.js';

export type { WasiPlatformDefaults } from './prepare-program.js';
export type { WasiExit } from './options.js';

/** Where `_start` runs: on a worker, or on the calling thread when the program allows it. */
export type MainThreadPlace = 'worker' | 'calling-thread-if-possible';

/**
 * Runs a WASI command (with or without wasi-threads) on workers: `_start` on one, each spawned
 * thread on another, every preview1 call answered by one host-side WASI state. Resolves with the
 * exit code when `_start` returns or a thread calls proc_exit; rejects with the error when a
 * thread traps. Either way every worker is ended first.
 *
 * With `place` "calling-thread-if-possible", a program that spawns no threads and makes no call
 * that may wait (no `fd_read`, no `poll_oneoff`) runs on the calling thread instead, with no
 * worker, blocking that thread until it ends: for `weft run`, whose thread has nothing else to do.
 */
export async function runWasiOn(
  platform: Platform,
  defaults: WasiPlatformDefaults,
  source: ModuleSource,
  options: RunWasiOptions = {},
  place: MainThreadPlace = 'worker',
): Promise<WasiExit> {
  const resolved = resolveRunWasiOptions(options);
  platform.assertSharedMemoryAvailable();
  chooseWakeMode(resolved.wake, platform.hasWaitAsync()); // throws before anything is opened
  const preopens = openPreopens(options.preopens ?? {}, defaults); // before any worker starts
  const preparing = prepareProgram(platform, source, options, resolved, defaults, preopens);
  if (place === 'calling-thread-if-possible') {
    const prepared = await preparing;
    if (fitsHostThread(WebAssembly.Module.imports(prepared.module))) return runOnHostThread(prepared);
  }
  return new WasiProgram(platform, resolved).run(preparing);
}

class WasiProgram {
  private readonly views: ControlViews;
  private readonly layout: WasiLayout;
  private readonly wake: WakeMode;
  /**
   * Every worker created for the program, started or still starting, with the failure listener
   * startWorkers gave it: the end of the program ends them all, and tells startWorkers about
   * the starting ones, so that it clears its start timer instead of waiting for them.
   */
  private readonly everyWorker = new Map<WorkerHandle, ((error: Error) => void) | undefined>();
  /** createWorker of the platform, recording each worker in {@link everyWorker}. */
  private readonly trackingPlatform: Platform;
  /** The loaded program and the server of its system calls, once loading is done. */
  private program: PreparedProgram | undefined;
  private server: SyscallServer | undefined;
  /** Workers created so far, started or starting; worker i uses slot i. */
  private created = 0;
  private starting = 0;
  private settled = false;
  /** finish() has begun: it ends the workers and settles the program's promise. */
  private ending = false;
  private settle!: { resolve(exit: WasiExit): void; reject(error: Error): void };

  constructor(
    platform: Platform,
    private readonly options: ResolvedRunWasiOptions,
  ) {
    this.layout = computeWasiLayout(options.maxThreads);
    this.views = createControlViews(new SharedArrayBuffer(this.layout.byteLength));
    this.views.i32[WasiHeader.NEXT_TID] = 1;
    this.wake = chooseWakeMode(options.wake, platform.hasWaitAsync());
    this.trackingPlatform = { ...platform, createWorker: (threadId) => this.track(platform.createWorker(threadId)) };
  }

  private track(worker: WorkerHandle): WorkerHandle {
    const tracked: WorkerHandle = {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      onMessage: (listener) => worker.onMessage(listener),
      onFailure: (listener) => {
        this.everyWorker.set(tracked, listener);
        worker.onFailure(listener);
      },
      terminate: () => worker.terminate(),
      keepAlive: (alive) => worker.keepAlive(alive),
    };
    this.everyWorker.set(tracked, undefined);
    return tracked;
  }

  async run(preparing: Promise<PreparedProgram>): Promise<WasiExit> {
    const finished = new Promise<WasiExit>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Why: a worker takes longer to start than most programs take to load and compile, so the
    // main thread's worker boots meanwhile and gets the module once it is there.
    const mainWorker = this.addWorkers(1, preparing);
    try {
      const [program] = await Promise.all([preparing, mainWorker]);
      // Why: nothing waits for a worker to start: a spawn that finds no idle worker queues its
      // thread and the host starts a worker for it. So before _start only the main thread's
      // worker is needed; `threads` asks for more, for programs whose spawns must not wait for
      // a worker's start-up.
      const more = program.info.spawnsThreads ? Math.min(this.layout.maxWorkers, this.options.threads) - 1 : 0;
      if (more > 0) await this.addWorkers(more, program);
    } catch (error) {
      // A worker that failed meanwhile already ended the program (and settles `finished`).
      if (this.ending) return finished;
      this.settled = true;
      // Waits until startWorkers has ended what it started, then ends the rest (the main
      // thread's worker when a later batch failed).
      await mainWorker.catch(() => undefined);
      await this.endWorkers();
      (await preparing.catch(() => undefined))?.host.close();
      throw error;
    }
    this.startMainThread();
    this.listen();
    return finished;
  }

  private async addWorkers(count: number, program: PreparedProgram | Promise<PreparedProgram>): Promise<void> {
    const first = this.created;
    this.created += count;
    this.starting += count;
    // Why: a starting worker's slot stays BUSY until it is ready, so spawners skip it, and the
    // host already serves its system-call area.
    Atomics.store(this.views.i32, WasiHeader.WORKERS, this.created);
    try {
      await startWorkers({
        platform: this.trackingPlatform,
        count,
        firstThreadId: first,
        timeoutMs: this.options.startTimeout,
        initFor: (threadId) => (program instanceof Promise ? program.then((p) => this.initMessage(p, threadId)) : this.initMessage(program, threadId)),
        onMessage: (threadId, message) => this.onMessage(threadId, message),
        onFailure: (threadId, error) => this.fail(new WorkerExitError(threadId, `A worker of the program ended unexpectedly: ${error.message}`, { cause: error })),
      });
    } finally {
      this.starting -= count;
    }
    // Why: a worker of this batch takes a queued spawn as soon as it is ready, while the batch
    // still counts as starting, so growForQueuedSpawns may have counted that request twice
    // (taken, and awaited from a starting worker) and started one worker too few. If every
    // running thread then waits for the missing one (many-threads.wat), nothing signals the
    // host again and the program hangs (seen on Deno, whose workers start at another pace).
    if (!this.settled) this.growForQueuedSpawns();
  }

  private initMessage(program: PreparedProgram, threadId: number): WasiInitMessage {
    this.program ??= program;
    this.server ??= new SyscallServer(this.views, this.layout, program.host, program.memory, program.info.syscallNames, (error) =>
      this.fail(error instanceof Error ? error : new Error(String(error))),
    );
    return {
      weft: ENVELOPE,
      type: 'init-wasi',
      threadId,
      module: program.module,
      memory: program.memory,
      control: this.views.buffer,
      maxThreads: this.options.maxThreads,
      syscallNames: program.info.syscallNames,
      wake: this.wake,
    };
  }

  private startMainThread(): void {
    const i32 = this.views.i32;
    const slot = workerSlotIndex(this.layout, 0);
    i32[slot + WorkerSlot.TID] = 0;
    i32[slot + WorkerSlot.START_ARG] = 0;
    Atomics.store(i32, slot + WorkerSlot.STATE, WorkerState.ASSIGNED);
    Atomics.notify(i32, slot + WorkerSlot.STATE);
  }

  /** Serves system calls and queued spawns whenever a worker signals, until the program ends. */
  private listen(): void {
    if (this.settled) return;
    const i32 = this.views.i32;
    const seen = Atomics.load(i32, WasiHeader.HOST_SIGNAL);
    this.serve();
    if (this.wake === 'wait-async') {
      const result = Atomics.waitAsync(i32, WasiHeader.HOST_SIGNAL, seen);
      if (result.async) void result.value.then(() => this.listen());
      else queueMicrotask(() => this.listen());
    }
  }

  private serve(): void {
    if (this.settled || this.server === undefined) return;
    this.server.serve(this.created);
    this.growForQueuedSpawns();
  }

  /** Starts workers for spawn requests that found no idle worker. */
  private growForQueuedSpawns(): void {
    const i32 = this.views.i32;
    const queued = (Atomics.load(i32, WasiHeader.QUEUE_TAIL) - Atomics.load(i32, WasiHeader.QUEUE_HEAD)) | 0;
    const room = this.layout.maxWorkers - this.created;
    const count = Math.min(queued - this.starting, room);
    if (count <= 0 || this.program === undefined) return;
    this.addWorkers(count, this.program).catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))));
  }

  private onMessage(_threadId: number, message: WorkerToHostMessage): void {
    switch (message.type) {
      case 'wake':
        this.serve();
        break;
      case 'program-exit':
        void this.finish(() => this.settle.resolve({ exitCode: message.exitCode }));
        break;
      case 'program-trap':
        this.fail(deserializeError(message.error));
        break;
      case 'init-failed':
        this.fail(deserializeError(message.error));
        break;
      default:
        break;
    }
  }

  private fail(error: Error): void {
    void this.finish(() => this.settle.reject(error));
  }

  /**
   * Terminates every worker created so far, started or starting. Why tell startWorkers: a worker
   * ended while it was starting never reports (terminate silences its failure), so startWorkers'
   * timer would keep the process alive until startTimeout; told, it clears the timer and rejects
   * (its batch's caller ignores that once the program is over).
   */
  private async endWorkers(): Promise<void> {
    const workers = [...this.everyWorker];
    await Promise.allSettled(workers.map(([worker]) => worker.terminate()));
    const ended = new Error('the program ended before this worker was ready');
    for (const [, onFailure] of workers) onFailure?.(ended);
  }

  /** Ends every thread (blocked, sleeping or spinning alike), flushes output, then settles once. */
  private async finish(settle: () => void): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.ending = true;
    const i32 = this.views.i32;
    Atomics.store(i32, WasiHeader.STOPPING, 1);
    Atomics.add(i32, WasiHeader.HOST_SIGNAL, 1);
    Atomics.notify(i32, WasiHeader.HOST_SIGNAL);
    await this.endWorkers();
    try {
      this.program?.host.close();
    } finally {
      settle();
    }
  }
}
