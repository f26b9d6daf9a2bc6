/**
 * Layout of a wasm-bindgen caller thread's fast-call channel: two SharedArrayBuffers through
 * which the host hands the thread one call at a time and reads its result, without postMessage
 * or structured clone. Calls whose values cannot go this way (objects, `transfer()` lists,
 * values too big) travel as `bindgen-call` messages instead (bindgen-messages.ts).
 *
 * ```
 * slot   CALL_SLOT_WORDS int32 words (indices in CallSlot): the state word both sides wait on,
 *        the call's id, what it calls, and how many values the arena holds
 * arena  ARENA_VALUES descriptors of VALUE_BYTES each (word indices in ValueDescriptor), then
 *        the payloads (string bytes, typed array bytes) from ARENA_PAYLOAD_OFFSET, each
 *        PAYLOAD_ALIGN-aligned; a call's values are its target's names, then its arguments;
 *        a result is the one value at descriptor 0
 * ```
 * The arena starts at INITIAL_ARENA_BYTES and is replaced by a bigger one (sent along with a
 * message-path call or result) when a call or result needs more, up to MAX_ARENA_BYTES.
 */

/** Int32 word indices of the call slot. */
export const CallSlot = {
  /** A CallState: who owns the slot and the arena. Both sides wait on it with `Atomics.waitAsync`. */
  STATE: 0,
  /** The pool's id of the call in the slot, so a late wake-up cannot settle a later call. */
  CALL_ID: 1,
  /** A TargetKind: what the call runs on the thread. */
  TARGET_KIND: 2,
  /** The kept object a method, getter or `free` targets (0 for other kinds). */
  OBJECT_ID: 3,
  /** Values in the arena: the target's names (TARGET_NAME_COUNT of its kind), then the arguments. */
  VALUE_COUNT: 4,
  /** 1 while the thread spins for the next call: the host then stores CALL without a notify (a syscall). */
  SPINNING: 5,
} as const;
export const CALL_SLOT_WORDS = 8;
export const CALL_SLOT_BYTES = CALL_SLOT_WORDS * 4;

/**
 * Values of `CallSlot.STATE`. The host owns the slot in IDLE, RESULT and RESULT_BY_MESSAGE; the
 * thread from CALL until it stores RESULT (values in the arena) or RESULT_BY_MESSAGE (the result
 * or error was posted as a message, as on the message path).
 */
export const CallState = {
  IDLE: 0,
  CALL: 1,
  RESULT: 2,
  RESULT_BY_MESSAGE: 3,
  /** The pool closed: waiters on both sides stop. */
  CLOSED: 4,
} as const;
export type CallStateValue = (typeof CallState)[keyof typeof CallState];

/** Values of `CallSlot.TARGET_KIND`: the kinds of `BindgenCallTarget`. */
export const TargetKind = {
  export: 1,
  construct: 2,
  static: 3,
  method: 4,
  get: 5,
  free: 6,
} as const;

/** How many names (strings at the start of the arena) a target of each kind carries. */
export const TARGET_NAME_COUNT = {
  export: 1,
  construct: 1,
  static: 2,
  method: 1,
  get: 1,
  free: 0,
} as const;

/** Bytes of one value descriptor in the arena (8-byte aligned for its f64 / i64 word). */
export const VALUE_BYTES = 16;
/** Int32 word offsets within a value descriptor. */
export const ValueDescriptor = {
  /** A ValueTag (bindgen-values.ts). */
  TAG: 0,
  /** Payload bytes (strings, typed arrays, buffers), or the kept object's id (handles). */
  LENGTH: 1,
} as const;
/**
 * Byte offset within a descriptor of its scalar: the f64 of a number, the i64 of a BigInt, or
 * for a value with a payload, the payload's byte offset in the arena as an int32.
 */
export const VALUE_SCALAR_OFFSET = 8;
/** Most values (target names and arguments) one call carries through the arena. */
export const ARENA_VALUES = 32;
/** Where payloads start: after the descriptors. */
export const ARENA_PAYLOAD_OFFSET = ARENA_VALUES * VALUE_BYTES;
/** Payloads start at multiples of this, so that any typed array could view them in place. */
export const PAYLOAD_ALIGN = 8;
/** The arena a thread starts with. */
export const INITIAL_ARENA_BYTES = 1 << 20;
/** The largest arena: calls and results that need more travel by message. */
export const MAX_ARENA_BYTES = 64 << 20;

/** The arena size for `needed` bytes: a power of two from INITIAL_ARENA_BYTES, or undefined past MAX_ARENA_BYTES. */
export function arenaBytesFor(needed: number): number | undefined {
  if (needed > MAX_ARENA_BYTES) return undefined;
  let bytes = INITIAL_ARENA_BYTES;
  while (bytes < needed) bytes *= 2;
  return bytes;
}
