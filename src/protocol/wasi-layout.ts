/**
 * Layout of the control block of a wasi-threads program: one SharedArrayBuffer apart from the
 * wasm memory, shared by the host and every worker of the program.
 *
 * ```
 * header       WASI_HEADER_WORDS int32 words (indices in WasiHeader)
 * spawn queue  spawnQueueCapacity × SPAWN_ENTRY_WORDS int32 words: spawn requests no idle
 *              worker could take, for the workers the host starts next
 * slots        maxWorkers × WORKER_SLOT_BYTES: per worker, its state, the thread it runs, and
 *              one system-call request/answer area
 * ```
 */

/** Int32 word indices of the header. */
export const WasiHeader = {
  /** Next thread id to hand out (atomic add); thread ids start at 1. */
  NEXT_TID: 0,
  /** Threads spawned and not finished (the main thread not counted); bounded by maxThreads. */
  LIVE_THREADS: 1,
  /** Bumped by a worker that needs the host (a system call, a queued spawn); the host awaits it. */
  HOST_SIGNAL: 2,
  /** 1 once the program ended: workers stop taking threads. */
  STOPPING: 3,
  /** Spawn queue: next position to take (workers, compare-and-swap). */
  QUEUE_HEAD: 4,
  /** Spawn queue: next position to fill (spawning threads, atomic add). */
  QUEUE_TAIL: 5,
  /** Workers started or starting (written by the host). */
  WORKERS: 6,
  /** 1 once worker 0, which runs _start, has instantiated the module. */
  MAIN_INSTANTIATED: 7,
  /** Never written: a thread that called proc_exit parks here until the host ends its worker. */
  PARK: 15,
} as const;
export const WASI_HEADER_WORDS = 16;

/** Int32 words of one spawn-queue entry. */
export const SpawnEntry = {
  /** 0 while empty; tid when the request is complete. */
  TID: 0,
  START_ARG: 1,
} as const;
export const SPAWN_ENTRY_WORDS = 2;

/** What a worker is doing, in its slot's STATE word. */
export const WorkerState = {
  /** Starting, or preparing a fresh instance. */
  BUSY: 0,
  /** Ready for a thread: thread-spawn may claim it with a compare-and-swap. */
  IDLE: 1,
  /** Claimed by thread-spawn; TID and START_ARG are set. */
  ASSIGNED: 2,
  /** Claimed by thread-spawn, which is still writing TID and START_ARG. */
  CLAIMED: 3,
} as const;

/** State of a slot's system-call area. */
export const SyscallState = {
  NONE: 0,
  /** The thread wrote a request and waits on this word. */
  REQUESTED: 1,
  /** The host took the request and is answering. */
  TAKEN: 2,
  /** The answer is in RESULT. */
  ANSWERED: 3,
} as const;

/** Int32 word offsets within a worker slot. */
export const WorkerSlot = {
  /** A WorkerState value. */
  STATE: 0,
  TID: 1,
  START_ARG: 2,
  SYSCALL_STATE: 3,
  /** Index of the call in the program's list of system-call names. */
  SYSCALL: 4,
  /** Argument count; the next word holds a bit per i64 argument. */
  SYSCALL_ARG_COUNT: 5,
  SYSCALL_ARG_TAGS: 6,
  SYSCALL_RESULT: 7,
} as const;
/** Byte offset of the system-call arguments within a slot (8-byte aligned). */
export const SYSCALL_VALUES_OFFSET = 32;
/** The most parameters of any preview1 function (path_open has 9). */
export const MAX_SYSCALL_VALUES = 12;
export const WORKER_SLOT_BYTES = SYSCALL_VALUES_OFFSET + MAX_SYSCALL_VALUES * 8;

export interface WasiLayout {
  readonly maxWorkers: number;
  readonly spawnQueueCapacity: number;
  /** Int32 index of the first spawn-queue word. */
  readonly queueIndex: number;
  /** Byte offset of slot 0. */
  readonly slotsOffset: number;
  readonly byteLength: number;
}

/** Layout for a program of up to `maxThreads` spawned threads plus its main thread. */
export function computeWasiLayout(maxThreads: number): WasiLayout {
  if (!Number.isInteger(maxThreads) || maxThreads < 0) throw new RangeError(`maxThreads must be an integer >= 0, got ${maxThreads}`);
  const maxWorkers = maxThreads + 1;
  // Why: at most maxThreads threads are live, so at most that many requests can wait.
  const spawnQueueCapacity = Math.max(1, maxThreads);
  const queueIndex = WASI_HEADER_WORDS;
  const slotsOffset = Math.ceil(((queueIndex + spawnQueueCapacity * SPAWN_ENTRY_WORDS) * 4) / 64) * 64;
  return { maxWorkers, spawnQueueCapacity, queueIndex, slotsOffset, byteLength: slotsOffset + maxWorkers * WORKER_SLOT_BYTES };
}

/** Int32 index of a worker slot's first word. */
export function workerSlotIndex(layout: WasiLayout, worker: number): number {
  return (layout.slotsOffset + worker * WORKER_SLOT_BYTES) >> 2;
}

/** 8-byte-element index of a worker slot's first system-call argument. */
export function syscallValueIndex(layout: WasiLayout, worker: number): number {
  return (layout.slotsOffset + worker * WORKER_SLOT_BYTES + SYSCALL_VALUES_OFFSET) >> 3;
}

/** Int32 index of the spawn-queue entry at a queue position. */
export function spawnEntryIndex(layout: WasiLayout, position: number): number {
  return layout.queueIndex + ((position >>> 0) % layout.spawnQueueCapacity) * SPAWN_ENTRY_WORDS;
}
