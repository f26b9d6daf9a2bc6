/**
 * Layout of the control block: one SharedArrayBuffer, separate from the wasm memory, through
 * which the pool's owner (the host) and its workers exchange every task after start-up.
 *
 * ```
 * header      HEADER_WORDS int32 words (indices in Header)
 * completions completionCapacity int32 words: entry index + 1 of each finished task, 0 = empty
 * slots       maxThreads × SLOT_WORDS int32 words (indices in Slot), one group per thread
 * entries     (queueCapacity + maxThreads) × ENTRY_BYTES: the shared queue's entries, then one
 *             mailbox entry per thread (tasks aimed at that thread, e.g. broadcast)
 * ```
 * Tickets are int32 counters that wrap; a ticket's entry is `ticket & (queueCapacity - 1)`.
 */

/** Int32 word indices of the header. */
export const Header = {
  /** Bumped on every publication; idle workers park in `Atomics.wait` on it. */
  EPOCH: 0,
  /** Tickets published to the shared queue so far (written by the host only). */
  SUBMITTED: 1,
  /** Tickets claimed by workers so far (compare-and-swap by workers). */
  CLAIMED: 2,
  /** Next completion-queue position a worker will write (atomic add by workers). */
  COMPLETION_TAIL: 3,
  /** 1 while the host waits for completions; the first worker to finish a task clears it and wakes the host. */
  HOST_WAITING: 4,
  /** 1 once the pool is closing: workers leave their loop. */
  STOP: 5,
  /** 1 while one idle worker spins before parking (at most one spins at a time). */
  SPINNER: 6,
} as const;
export const HEADER_WORDS = 16;

/** Int32 word indices within a thread's slot group. */
export const Slot = {
  /** 1 while the thread's mailbox entry holds a task it has not taken yet. */
  MAILBOX: 0,
  /** Entry index + 1 of the task the thread is running, 0 when idle. */
  RUNNING: 1,
} as const;
export const SLOT_WORDS = 4;

/** Int32 word offsets within an entry. */
export const Entry = {
  /** Index of the export to call in the pool's export table. */
  EXPORT: 0,
  ARG_COUNT: 1,
  /** Bit k set: value k is an i64 (bigint); clear: a number. */
  ARG_TAGS: 2,
  /** Number of results; RESULT_ARRAY bit set when the export returned several. */
  RESULT_COUNT: 3,
  RESULT_TAGS: 4,
  /** Thread that ran the task. */
  THREAD: 5,
} as const;
/** Byte offset of the values (arguments in, results out) within an entry: 8-byte aligned. */
export const ENTRY_VALUES_OFFSET = 32;
/** Most arguments, or results, one task carries. */
export const MAX_VALUES = 8;
export const ENTRY_BYTES = ENTRY_VALUES_OFFSET + MAX_VALUES * 8;
/** Flag in RESULT_COUNT: the export returned an array (multi-value), even of length 1. */
export const RESULT_ARRAY = 1 << 16;

export interface ControlLayout {
  readonly queueCapacity: number;
  readonly maxThreads: number;
  readonly completionCapacity: number;
  /** Int32 index of the first completion word. */
  readonly completionsIndex: number;
  /** Int32 index of the first slot word. */
  readonly slotsIndex: number;
  /** Byte offset of entry 0. */
  readonly entriesOffset: number;
  readonly entryCount: number;
  readonly byteLength: number;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Computes where everything lives for a queue of `queueCapacity` entries and up to `maxThreads` threads. */
export function computeControlLayout(queueCapacity: number, maxThreads: number): ControlLayout {
  if (!isPowerOfTwo(queueCapacity)) throw new RangeError(`queueCapacity must be a power of two, got ${queueCapacity}`);
  if (!Number.isInteger(maxThreads) || maxThreads < 1) throw new RangeError(`maxThreads must be a positive integer, got ${maxThreads}`);
  const entryCount = queueCapacity + maxThreads;
  // Why: every entry can be finished at once before the host reads any completion, so the
  // completion queue must hold them all; a power of two keeps positions a mask away.
  let completionCapacity = 1;
  while (completionCapacity < entryCount) completionCapacity *= 2;
  const completionsIndex = HEADER_WORDS;
  const slotsIndex = completionsIndex + completionCapacity;
  const wordsEnd = slotsIndex + maxThreads * SLOT_WORDS;
  const entriesOffset = Math.ceil((wordsEnd * 4) / 64) * 64;
  const byteLength = entriesOffset + entryCount * ENTRY_BYTES;
  return { queueCapacity, maxThreads, completionCapacity, completionsIndex, slotsIndex, entriesOffset, entryCount, byteLength };
}

/** Typed views over one control block. */
export interface ControlViews {
  readonly buffer: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
}

export function createControlViews(buffer: SharedArrayBuffer): ControlViews {
  return { buffer, i32: new Int32Array(buffer), f64: new Float64Array(buffer), i64: new BigInt64Array(buffer) };
}

/** Int32 index of an entry's first word. */
export function entryWordIndex(layout: ControlLayout, entry: number): number {
  return (layout.entriesOffset + entry * ENTRY_BYTES) >> 2;
}

/** 8-byte-element index of an entry's first value. */
export function entryValueIndex(layout: ControlLayout, entry: number): number {
  return (layout.entriesOffset + entry * ENTRY_BYTES + ENTRY_VALUES_OFFSET) >> 3;
}

/** Int32 index of a thread's slot group. */
export function slotWordIndex(layout: ControlLayout, threadId: number): number {
  return layout.slotsIndex + threadId * SLOT_WORDS;
}

/** Entry index of a thread's mailbox. */
export function mailboxEntry(layout: ControlLayout, threadId: number): number {
  return layout.queueCapacity + threadId;
}
