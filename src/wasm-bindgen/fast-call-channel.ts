import type { WorkerHandle } from '../core/platform.js';
import { runSoon } from '../core/run-soon.js';
import { arenaBytesFor, CALL_SLOT_BYTES, CallSlot, CallState, INITIAL_ARENA_BYTES, TargetKind } from '../protocol/bindgen-call-layout.js';
import type { BindgenCallTarget, BindgenFastCallSetup } from '../protocol/bindgen-messages.js';
import { measureValues, readValues, ValueArena, writeValues } from '../protocol/bindgen-values.js';
import { ENVELOPE } from '../protocol/envelope.js';

/** What `write` did with a call. */
export type FastCallWrite =
  | { readonly written: true }
  /** Send it by message; `biggerArena` (when its values are encodable but did not fit) goes along, for the next ones. */
  | { readonly written: false; readonly biggerArena: SharedArrayBuffer | null };

/** The answer the thread left in the slot for a call. */
export type FastCallAnswer =
  | { readonly kind: 'result'; readonly callId: number; readonly value: unknown }
  /** The thread is still on it. */
  | { readonly kind: 'pending' }
  /** Nothing to read here: the result or error comes by message, the pool closed, or the slot holds another call. */
  | { readonly kind: 'none' };

/**
 * The host's side of one caller thread's fast-call channel (protocol/bindgen-call-layout.ts):
 * writes a call whose values the arena can carry into the slot, hands it to the thread, and
 * reads the result back. The pool sends at most one call at a time to a thread, so the slot
 * never holds two.
 */
export class FastCallChannel {
  /** What the thread's init message carries. */
  readonly setup: BindgenFastCallSetup;
  private readonly slot: Int32Array;
  private arena: ValueArena;
  private readonly values: unknown[] = [];
  private readonly keptObjects: (number | null)[] = [];

  constructor(readonly wake: 'wait-async' | 'message') {
    const slot = new SharedArrayBuffer(CALL_SLOT_BYTES);
    const arena = new SharedArrayBuffer(INITIAL_ARENA_BYTES);
    this.slot = new Int32Array(slot);
    this.arena = new ValueArena(arena);
    this.setup = { slot, arena, wake };
  }

  /** Writes call `callId` into the slot and arena when its values allow (no `transfer()` list: what moves must move). */
  write(callId: number, target: BindgenCallTarget, args: readonly unknown[], objectArgs: readonly (number | null)[]): FastCallWrite {
    // Why scratch arrays: this runs on every call, and the arena takes the values before it returns.
    const values = this.values;
    const keptObjects = this.keptObjects;
    values.length = 0;
    keptObjects.length = 0;
    pushTargetNames(target, values);
    for (let index = 0; index < values.length; index++) keptObjects.push(null);
    for (let index = 0; index < args.length; index++) {
      values.push(args[index]);
      keptObjects.push(objectArgs[index] ?? null);
    }
    const needed = measureValues(values, keptObjects);
    if (needed === undefined) return { written: false, biggerArena: null };
    if (needed > this.arena.buffer.byteLength) {
      const bytes = arenaBytesFor(needed);
      return { written: false, biggerArena: bytes === undefined ? null : new SharedArrayBuffer(bytes) };
    }
    writeValues(this.arena, values, keptObjects);
    this.slot[CallSlot.CALL_ID] = callId;
    this.slot[CallSlot.TARGET_KIND] = TargetKind[target.kind];
    this.slot[CallSlot.OBJECT_ID] = 'objectId' in target ? target.objectId : 0;
    this.slot[CallSlot.VALUE_COUNT] = values.length;
    return { written: true };
  }

  /** Uses `buffer` as the arena from now on: the thread got it with a call, or made it for a result. */
  adoptArena(buffer: SharedArrayBuffer): void {
    this.arena = new ValueArena(buffer);
  }

  /** Hands the written call to the thread. */
  send(worker: WorkerHandle): void {
    Atomics.store(this.slot, CallSlot.STATE, CallState.CALL);
    // Why no wake-up for a spinning thread: it sees CALL by itself; once it stops spinning it
    // clears SPINNING before it reads the state again, so it cannot miss this store.
    if (Atomics.load(this.slot, CallSlot.SPINNING) === 1) return;
    // Why notify in both modes: a thread that just answered may be in a brief Atomics.wait for the next call.
    if (Atomics.notify(this.slot, CallSlot.STATE) === 0 && this.wake === 'message') worker.postMessage({ weft: ENVELOPE, type: 'bindgen-wake' });
  }

  /** Calls `listener` once the slot leaves the CALL state (`wake: 'wait-async'` only). */
  whenAnswered(listener: () => void): void {
    const wait = Atomics.waitAsync(this.slot, CallSlot.STATE, CallState.CALL);
    if (wait.async) void wait.value.then(listener);
    else runSoon(listener);
  }

  /** The result the thread wrote for the call in the slot, if it wrote one; the slot is the host's again. */
  takeAnswer(): FastCallAnswer {
    const state = Atomics.load(this.slot, CallSlot.STATE);
    if (state === CallState.CALL) return { kind: 'pending' };
    if (state !== CallState.RESULT) return { kind: 'none' };
    const callId = this.slot[CallSlot.CALL_ID]!;
    const [value] = readValues(this.arena, 1).values;
    Atomics.store(this.slot, CallSlot.STATE, CallState.IDLE);
    return { kind: 'result', callId, value };
  }

  /** A call's answer came by message: the slot is the host's again. */
  answeredByMessage(): void {
    if (Atomics.load(this.slot, CallSlot.STATE) === CallState.RESULT_BY_MESSAGE) Atomics.store(this.slot, CallSlot.STATE, CallState.IDLE);
  }

  /** The pool closed: release both sides' waits for good. */
  close(): void {
    Atomics.store(this.slot, CallSlot.STATE, CallState.CLOSED);
    Atomics.notify(this.slot, CallSlot.STATE);
  }
}

/** Appends the names a target carries in the arena, before the arguments (TARGET_NAME_COUNT of its kind). */
function pushTargetNames(target: BindgenCallTarget, into: unknown[]): void {
  switch (target.kind) {
    case 'export':
      into.push(target.name);
      return;
    case 'construct':
      into.push(target.className);
      return;
    case 'static':
      into.push(target.className, target.member);
      return;
    case 'method':
    case 'get':
      into.push(target.member);
      return;
    case 'free':
      return;
  }
}
