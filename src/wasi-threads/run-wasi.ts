import { InvalidOptionError, WorkerExitError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import { importOwnMemory } from '../core/import-own-memory.js';
import { loadModule, type ModuleSource } from '../core/module-source.js';
import type { Platform, WorkerHandle } from '../core/platform.js';
import { chooseWakeMode } from '../core/option-checks.js';
import { startWorkers } from '../core/start-workers.js';
import { provideMemory } from '../core/thread-memory.js';
import { createControlViews, type ControlViews } from '../protocol/control-layout.js';
import { ENVELOPE, type WakeMode, type WorkerToHostMessage } from '../protocol/messages.js';
import { computeWasiLayout, type WasiLayout, WasiHeader, WorkerSlot, workerSlotIndex, WorkerState } from '../protocol/wasi-layout.js';
import type { WasiDirectory } from '../wasi/fs/directory.js';
import { WasiHost } from '../wasi/wasi-host.js';
import { inspectWasiProgram, type WasiProgramInfo } from './inspect-program.js';
import { resolveRunWasiOptions, type ResolvedRunWasiOptions, type RunWasiOptions } from './options.js';
import { SyscallServer } from './syscall-server.js';

/** How a WASI program ended normally. */
export interface WasiExit {
  /** `_start` returned (0) or the code a thread passed to proc_exit. */
  readonly exitCode: number;
}

/** Platform-specific defaults for WASI programs. */
export interface WasiPlatformDefaults {
  readonly stdout: (bytes: Uint8Array) => void;
  readonly stderr: (bytes: Uint8Array) => void;
  /** Turns a host path given as a preopen into a directory (Node); throws where there are none. */
  openHostDirectory(hostPath: string): WasiDirectory;
}

/**
 * Runs a WASI command (with or without wasi-threads) on workers: `_start` on one, each spawned
 * thread on another, every preview1 call answered by one host-side WASI state. Resolves with the
 * exit code when `_start` returns or a thread calls proc_exit; rejects with the error when a
 * thread traps. Either way every worker is ended first.
 */
export async function runWasiOn(platform: Platform, defaults: WasiPlatformDefaults, source: ModuleSource, options: RunWasiOptions = {}): Promise<WasiExit> {
  const resolved = resolveRunWasiOptions(options);
  platform.assertSharedMemoryAvailable();
  chooseWakeMode(resolved.wake, platform.hasWaitAsync()); // throws before anything is opened
  platform.prepareEngine({ nodeLiftoffWorkaround: resolved.nodeLiftoffWorkaround });
  // Why: a plain wasm32-wasip1 program defines its own memory; it gets the same memory as a
  // shared import, so the host can answer its system calls from another thread.
  const { module, bytes } = await loadModule(source, platform, importOwnMemory);
  const info = inspectWasiProgram(module, bytes, options.memory !== undefined);
  const memory = provideMemory(info.memoryImport, options.memory);
  const host = new WasiHost({
    args: [options.programName ?? 'main.wasm', ...(options.args ?? [])],
    env: options.env ?? {},
    preopens: openPreopens(options.preopens ?? {}, defaults),
    stdin: options.stdin ?? '',
    stdout: options.stdout ?? defaults.stdout,
    stderr: options.stderr ?? defaults.stderr,
  });
  const program = new WasiProgram(platform, module, memory, info, host, resolved);
  return program.run();
}

function openPreopens(preopens: Readonly<Record<string, WasiDirectory | string>>, defaults: WasiPlatformDefaults): Record<string, WasiDirectory> {
  const opened: Record<string, WasiDirectory> = {};
  for (const [guestPath, directory] of Object.entries(preopens)) {
    if (typeof directory === 'string') opened[guestPath] = defaults.openHostDirectory(directory);
    else if (typeof directory === 'object' && directory !== null) opened[guestPath] = directory;
    else throw new InvalidOptionError('preopens', `The preopen "${guestPath}" must be a directory (MemoryDirectory, NodeDirectory) or, in Node, a host path.`);
  }
  return opened;
}

class WasiProgram {
  private readonly views: ControlViews;
  private readonly layout: WasiLayout;
  private readonly server: SyscallServer;
  private readonly wake: WakeMode;
  private readonly workers: WorkerHandle[] = [];
  /** Workers created so far, started or starting; worker i uses slot i. */
  private created = 0;
  private starting = 0;
  private settled = false;
  private settle!: { resolve(exit: WasiExit): void; reject(error: Error): void };

  constructor(
    private readonly platform: Platform,
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly info: WasiProgramInfo,
    private readonly host: WasiHost,
    private readonly options: ResolvedRunWasiOptions,
  ) {
    this.layout = computeWasiLayout(options.maxThreads);
    this.views = createControlViews(new SharedArrayBuffer(this.layout.byteLength));
    this.views.i32[WasiHeader.NEXT_TID] = 1;
    this.wake = chooseWakeMode(options.wake, platform.hasWaitAsync());
    this.server = new SyscallServer(this.views, this.layout, host, memory, info.syscallNames, (error) =>
      this.fail(error instanceof Error ? error : new Error(String(error))),
    );
  }

  async run(): Promise<WasiExit> {
    const finished = new Promise<WasiExit>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Why: a thread must find a running worker when it spawns (a browser worker cannot start
    // while its creator blocks), so workers start before _start runs; more start on demand.
    const wanted = this.info.spawnsThreads ? (this.options.threads ?? this.platform.defaultThreadCount()) : 1;
    try {
      await this.addWorkers(Math.min(this.layout.maxWorkers, Math.max(1, wanted)));
    } catch (error) {
      this.settled = true;
      this.host.close();
      throw error;
    }
    this.startMainThread();
    this.listen();
    return finished;
  }

  private async addWorkers(count: number): Promise<void> {
    const first = this.created;
    this.created += count;
    this.starting += count;
    // Why: a starting worker's slot stays BUSY until it is ready, so spawners skip it, and the
    // host already serves its system-call area.
    Atomics.store(this.views.i32, WasiHeader.WORKERS, this.created);
    try {
      const started = await startWorkers({
        platform: this.platform,
        count,
        firstThreadId: first,
        timeoutMs: this.options.startTimeout,
        initFor: (threadId) => ({
          weft: ENVELOPE,
          type: 'init-wasi',
          threadId,
          module: this.module,
          memory: this.memory,
          control: this.views.buffer,
          maxThreads: this.options.maxThreads,
          syscallNames: this.info.syscallNames,
          wake: this.wake,
        }),
        onMessage: (threadId, message) => this.onMessage(threadId, message),
        onFailure: (threadId, error) => this.fail(new WorkerExitError(threadId, `A worker of the program ended unexpectedly: ${error.message}`, { cause: error })),
      });
      if (this.settled) {
        await Promise.allSettled(started.map((worker) => worker.terminate()));
        return;
      }
      started.forEach((worker, index) => {
        this.workers[first + index] = worker;
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
    if (this.settled) return;
    this.server.serve(this.created);
    this.growForQueuedSpawns();
  }

  /** Starts workers for spawn requests that found no idle worker. */
  private growForQueuedSpawns(): void {
    const i32 = this.views.i32;
    const queued = (Atomics.load(i32, WasiHeader.QUEUE_TAIL) - Atomics.load(i32, WasiHeader.QUEUE_HEAD)) | 0;
    const room = this.layout.maxWorkers - this.created;
    const count = Math.min(queued - this.starting, room);
    if (count <= 0) return;
    this.addWorkers(count).catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))));
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

  /** Ends every thread (blocked, sleeping or spinning alike), flushes output, then settles once. */
  private async finish(settle: () => void): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    const i32 = this.views.i32;
    Atomics.store(i32, WasiHeader.STOPPING, 1);
    Atomics.add(i32, WasiHeader.HOST_SIGNAL, 1);
    Atomics.notify(i32, WasiHeader.HOST_SIGNAL);
    await Promise.allSettled(this.workers.filter(Boolean).map((worker) => worker.terminate()));
    try {
      this.host.close();
    } finally {
      settle();
    }
  }
}
