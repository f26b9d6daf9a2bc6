import { serializeError } from '../errors/serialize.js';
import { createControlViews, type ControlViews } from '../protocol/control-layout.js';
import { ENVELOPE, type WasiInitMessage, type WorkerToHostMessage } from '../protocol/messages.js';
import { writeValues } from '../protocol/task-values.js';
import {
  computeWasiLayout,
  spawnEntryIndex,
  SpawnEntry,
  SyscallState,
  syscallValueIndex,
  type WasiLayout,
  WasiHeader,
  WorkerSlot,
  workerSlotIndex,
  WorkerState,
} from '../protocol/wasi-layout.js';
import { createWasiThreadImports } from '../producers/wasi-threads.js';

/** errno EAGAIN: wasi-threads asks for a negative value when a thread cannot be spawned. */
const SPAWN_FAILED = -6;
const MAIN_TID = 0;
/** The worker that runs _start. */
const MAIN_WORKER = 0;

interface Assignment {
  readonly tid: number;
  readonly startArg: number;
}

/**
 * The life of one worker of a wasi-threads program: instantiate, then again and again wait for
 * a thread (the main thread, a spawn that claimed this worker, or a queued spawn), run it on the
 * instance, and prepare a fresh instance for the next one, as the spec asks.
 */
export class WasiThreadWorker {
  private readonly views: ControlViews;
  private readonly i32: Int32Array;
  private readonly layout: WasiLayout;
  private readonly slot: number;
  private readonly imports: WebAssembly.Imports;

  constructor(
    private readonly init: WasiInitMessage,
    private readonly post: (message: WorkerToHostMessage) => void,
  ) {
    this.views = createControlViews(init.control);
    this.i32 = this.views.i32;
    this.layout = computeWasiLayout(init.maxThreads);
    this.slot = workerSlotIndex(this.layout, init.threadId);
    this.imports = createWasiThreadImports(init, {
      spawn: (startArg) => this.spawn(startArg),
      syscall: (index, args) => this.syscall(index, args),
      exit: (code) => this.exit(code),
    });
  }

  async run(): Promise<void> {
    const i32 = this.i32;
    // Why: wasm-ld's start function sets up memory and the main thread's TLS block in whichever
    // instance runs it first, and _start expects to run on that instance (as in wasmtime). So
    // the main worker instantiates first; the others boot in parallel but wait here for it.
    if (this.init.threadId !== MAIN_WORKER) {
      while (Atomics.load(i32, WasiHeader.MAIN_INSTANTIATED) === 0) Atomics.wait(i32, WasiHeader.MAIN_INSTANTIATED, 0);
    }
    let instance = await WebAssembly.instantiate(this.init.module, this.imports);
    if (this.init.threadId === MAIN_WORKER) {
      Atomics.store(i32, WasiHeader.MAIN_INSTANTIATED, 1);
      Atomics.notify(i32, WasiHeader.MAIN_INSTANTIATED);
    }
    this.post({ weft: ENVELOPE, type: 'ready', threadId: this.init.threadId });
    for (;;) {
      const assignment = this.waitForThread();
      this.runThread(instance, assignment);
      // Why: wasi-threads runs each thread on a fresh instance (its own globals: stack
      // pointer, TLS base); the module is compiled, so this costs little, and it happens
      // while the worker is not yet advertised as idle.
      instance = new WebAssembly.Instance(this.init.module, this.imports);
    }
  }

  private waitForThread(): Assignment {
    const i32 = this.i32;
    const state = this.slot + WorkerSlot.STATE;
    for (;;) {
      const queued = this.takeQueuedSpawn();
      if (queued !== undefined) return queued;
      // Advertise idleness; the host may have assigned the main thread meanwhile.
      if (Atomics.compareExchange(i32, state, WorkerState.BUSY, WorkerState.IDLE) === WorkerState.BUSY && this.queueHasWork()) {
        // Why: a spawn may have queued its request just before we became idle; take it
        // rather than sleep beside it, unless a spawner claimed us in between.
        if (Atomics.compareExchange(i32, state, WorkerState.IDLE, WorkerState.BUSY) === WorkerState.IDLE) continue;
      }
      for (;;) {
        const current = Atomics.load(i32, state);
        if (current === WorkerState.ASSIGNED) break;
        Atomics.wait(i32, state, current);
      }
      Atomics.store(i32, state, WorkerState.BUSY);
      return { tid: i32[this.slot + WorkerSlot.TID]!, startArg: i32[this.slot + WorkerSlot.START_ARG]! };
    }
  }

  private queueHasWork(): boolean {
    return Atomics.load(this.i32, WasiHeader.QUEUE_HEAD) !== Atomics.load(this.i32, WasiHeader.QUEUE_TAIL);
  }

  private takeQueuedSpawn(): Assignment | undefined {
    const i32 = this.i32;
    for (;;) {
      const head = Atomics.load(i32, WasiHeader.QUEUE_HEAD);
      if (head === Atomics.load(i32, WasiHeader.QUEUE_TAIL)) return undefined;
      const entry = spawnEntryIndex(this.layout, head);
      const tid = Atomics.load(i32, entry + SpawnEntry.TID);
      // The spawner took the position but is still writing it; it signals the host when done.
      if (tid === 0) return undefined;
      if (Atomics.compareExchange(i32, WasiHeader.QUEUE_HEAD, head, (head + 1) | 0) !== head) continue;
      const startArg = i32[entry + SpawnEntry.START_ARG]!;
      Atomics.store(i32, entry + SpawnEntry.TID, 0);
      return { tid, startArg };
    }
  }

  private runThread(instance: WebAssembly.Instance, { tid, startArg }: Assignment): void {
    const exports = instance.exports as { _start?: () => void; wasi_thread_start?: (tid: number, arg: number) => void };
    try {
      if (tid === MAIN_TID) exports._start!();
      else exports.wasi_thread_start!(tid, startArg);
    } catch (error) {
      const serialized = serializeError(error);
      this.post({
        weft: ENVELOPE,
        type: 'program-trap',
        threadId: this.init.threadId,
        tid,
        error: { ...serialized, props: { ...serialized.props, threadId: tid } },
      });
      this.park();
    }
    if (tid === MAIN_TID) {
      // Returning from _start ends the program with exit code 0, whatever other threads do.
      this.post({ weft: ENVELOPE, type: 'program-exit', threadId: this.init.threadId, exitCode: 0 });
      this.park();
    }
    Atomics.sub(this.i32, WasiHeader.LIVE_THREADS, 1);
  }

  /** wasi.thread-spawn: never waits for a worker to start. */
  private spawn(startArg: number): number {
    const i32 = this.i32;
    if (Atomics.add(i32, WasiHeader.LIVE_THREADS, 1) >= this.init.maxThreads) {
      Atomics.sub(i32, WasiHeader.LIVE_THREADS, 1);
      return SPAWN_FAILED;
    }
    const tid = Atomics.add(i32, WasiHeader.NEXT_TID, 1);
    const workers = Atomics.load(i32, WasiHeader.WORKERS);
    for (let worker = 0; worker < workers; worker++) {
      const slot = workerSlotIndex(this.layout, worker);
      if (Atomics.compareExchange(i32, slot + WorkerSlot.STATE, WorkerState.IDLE, WorkerState.CLAIMED) !== WorkerState.IDLE) continue;
      i32[slot + WorkerSlot.TID] = tid;
      i32[slot + WorkerSlot.START_ARG] = startArg;
      Atomics.store(i32, slot + WorkerSlot.STATE, WorkerState.ASSIGNED);
      Atomics.notify(i32, slot + WorkerSlot.STATE);
      return tid;
    }
    // No idle worker: queue the request; the host starts a worker that takes it.
    const entry = spawnEntryIndex(this.layout, Atomics.add(i32, WasiHeader.QUEUE_TAIL, 1));
    i32[entry + SpawnEntry.START_ARG] = startArg;
    Atomics.store(i32, entry + SpawnEntry.TID, tid);
    this.signalHost();
    return tid;
  }

  /** A preview1 call, answered by the host while this thread blocks. */
  private syscall(index: number, args: readonly (number | bigint)[]): number {
    const i32 = this.i32;
    const slot = this.slot;
    i32[slot + WorkerSlot.SYSCALL] = index;
    writeValues(this.views, slot + WorkerSlot.SYSCALL_ARG_COUNT, syscallValueIndex(this.layout, this.init.threadId), args);
    Atomics.store(i32, slot + WorkerSlot.SYSCALL_STATE, SyscallState.REQUESTED);
    this.signalHost();
    for (;;) {
      const state = Atomics.load(i32, slot + WorkerSlot.SYSCALL_STATE);
      if (state === SyscallState.ANSWERED) break;
      Atomics.wait(i32, slot + WorkerSlot.SYSCALL_STATE, state);
    }
    const result = i32[slot + WorkerSlot.SYSCALL_RESULT]!;
    Atomics.store(i32, slot + WorkerSlot.SYSCALL_STATE, SyscallState.NONE);
    return result;
  }

  private exit(code: number): never {
    this.post({ weft: ENVELOPE, type: 'program-exit', threadId: this.init.threadId, exitCode: code >>> 0 });
    return this.park();
  }

  /** Blocks this thread until the host ends the worker (the program is over). */
  private park(): never {
    for (;;) Atomics.wait(this.i32, WasiHeader.PARK, 0);
  }

  private signalHost(): void {
    Atomics.add(this.i32, WasiHeader.HOST_SIGNAL, 1);
    if (this.init.wake === 'wait-async') Atomics.notify(this.i32, WasiHeader.HOST_SIGNAL, 1);
    else this.post({ weft: ENVELOPE, type: 'wake' });
  }
}
