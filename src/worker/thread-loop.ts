import { InvalidArgumentError } from '../errors/catalogue.js';
import { serializeError } from '../errors/serialize.js';
import {
  type ControlLayout,
  type ControlViews,
  Entry,
  entryWordIndex,
  Header,
  mailboxEntry,
  MAX_VALUES,
  Slot,
  slotWordIndex,
} from '../protocol/control-layout.js';
import { ENVELOPE, type WakeMode, type WorkerToHostMessage } from '../protocol/messages.js';
import { readArguments, writeResult } from '../protocol/task-values.js';
import type { ThreadInstance } from '../producers/raw-module.js';
import { SpinPolicy, type SpinOutcome } from './spin-policy.js';
import { SpinTimer } from './spin-timer.js';

export interface ThreadLoopContext {
  readonly threadId: number;
  readonly views: ControlViews;
  readonly layout: ControlLayout;
  readonly instance: ThreadInstance;
  /** Export functions by index in the pool's export table. */
  readonly functions: readonly ((...args: unknown[]) => unknown)[];
  readonly exportNames: readonly string[];
  readonly wake: WakeMode;
  readonly spinMicros: number;
  post(message: WorkerToHostMessage): void;
}

/**
 * While spinning is backed off, the clock is read once in this many parks (the back-off then
 * ends up to this many tasks late).
 * Why not at every park: everything a worker does between answering a task and parking delays
 * the host's next wake-up. In Chromium with every core busy, one `performance.now()` there (on a
 * raw Atomics ping-pong, bench/probes/chromium-threads.mjs) left the page awaiting the answer
 * through its event loop on 13% of the trips instead of 1.5%: 9.4 µs per trip instead of 7.0.
 * weft parked at once went from 10.6 to 8.4 µs without it.
 */
const PARKS_PER_CLOCK_READ = 16;

/**
 * The worker's whole life after start-up: take tasks from its mailbox and the shared queue,
 * run them, publish completions, and park in `Atomics.wait` when there is nothing to do.
 * Returns when the pool sets STOP.
 */
export function runThreadLoop(context: ThreadLoopContext): void {
  const { threadId, views, layout } = context;
  const i32 = views.i32;
  const slot = slotWordIndex(layout, threadId);
  const mailbox = mailboxEntry(layout, threadId);
  const queueMask = layout.queueCapacity - 1;
  const spinPolicy = new SpinPolicy(context.spinMicros);
  const spinTimer = new SpinTimer();
  let parks = 0;
  let parkTime = performance.now();
  const parkClock = (): number => (++parks % PARKS_PER_CLOCK_READ === 0 ? (parkTime = performance.now()) : parkTime);
  const spinClock = (): number => (parkTime = performance.now());

  for (;;) {
    // Why: read the epoch before looking for work; a publication after this read changes
    // EPOCH, so the Atomics.wait below cannot sleep through it.
    const epoch = Atomics.load(i32, Header.EPOCH);
    if (Atomics.load(i32, Header.STOP) !== 0) return;

    if (Atomics.load(i32, slot + Slot.MAILBOX) !== 0) {
      Atomics.store(i32, slot + Slot.MAILBOX, 0);
      runTask(context, mailbox, slot);
      continue;
    }

    const claimed = claimTicket(i32);
    if (claimed !== undefined) {
      runTask(context, claimed & queueMask, slot);
      continue;
    }

    const spinMicros = spinPolicy.budget(parkClock);
    if (spinMicros > 0) {
      const outcome = spinForWork(i32, epoch, spinMicros, spinTimer);
      spinPolicy.record(outcome, spinClock);
      if (outcome !== 'not-mine' && Atomics.load(i32, Header.EPOCH) !== epoch) continue;
    }

    Atomics.wait(i32, Header.EPOCH, epoch);
  }
}

/** Claims the next published ticket of the shared queue, or returns undefined if none is left. */
function claimTicket(i32: Int32Array): number | undefined {
  for (;;) {
    const claimed = Atomics.load(i32, Header.CLAIMED);
    if (claimed === Atomics.load(i32, Header.SUBMITTED)) return undefined;
    if (Atomics.compareExchange(i32, Header.CLAIMED, claimed, (claimed + 1) | 0) === claimed) return claimed;
  }
}

/**
 * Spins until EPOCH moves or the time is up, if no other worker is spinning already.
 * Why: waking a parked worker costs a futex round trip (tens of µs); a short spin answers a
 * quick follow-up task at once. Only one worker spins, so on a machine with few cores the
 * spinners never starve the thread that would publish the work. A gap in the spinner's own clock
 * means it was descheduled (the cores are oversubscribed): it stops at once (see SpinTimer).
 */
function spinForWork(i32: Int32Array, epoch: number, spinMicros: number, timer: SpinTimer): SpinOutcome {
  if (Atomics.compareExchange(i32, Header.SPINNER, 0, 1) !== 0) return 'not-mine';
  timer.start(spinMicros);
  let outcome: SpinOutcome | undefined;
  while (outcome === undefined) outcome = Atomics.load(i32, Header.EPOCH) !== epoch ? 'moved' : timer.tick();
  Atomics.store(i32, Header.SPINNER, 0);
  return outcome;
}

function runTask(context: ThreadLoopContext, entry: number, slot: number): void {
  const { views, layout, threadId } = context;
  const i32 = views.i32;
  const word = entryWordIndex(layout, entry);
  Atomics.store(i32, slot + Slot.RUNNING, entry + 1);
  const exportIndex = i32[word + Entry.EXPORT]!;
  i32[word + Entry.THREAD] = threadId;
  let failure: unknown;
  let failed = false;
  try {
    const fn = context.functions[exportIndex];
    if (fn === undefined) throw new RangeError(`weft: no export with index ${exportIndex}`);
    const result = fn(...readArguments(views, layout, entry));
    if (!writeResult(views, layout, entry, result)) {
      throw new InvalidArgumentError(`"${context.exportNames[exportIndex]}" returned ${describeResult(result)}; pool tasks take and return only i32, i64, f32 and f64 values (at most ${MAX_VALUES}).`);
    }
  } catch (error) {
    failed = true;
    // Why: a pool's module imports nothing but memory, so a TypeError out of an export call can
    // only be the engine converting an argument or result (the host reads the types from the
    // binary when it has it; a compiled Module given without its bytes gets here).
    failure = error instanceof TypeError
      ? new InvalidArgumentError(`"${context.exportNames[exportIndex]}" cannot be called with these arguments or its result cannot be passed back: ${error.message}. Pool tasks take and return only i32, i64, f32 and f64 values.`, { cause: error })
      : error;
  }
  Atomics.store(i32, slot + Slot.RUNNING, 0);
  if (failed) {
    context.instance.resetAfterFailure();
    const serialized = serializeError(failure);
    context.post({
      weft: ENVELOPE,
      type: 'task-failed',
      threadId,
      entry,
      error: { ...serialized, props: { ...serialized.props, threadId, exportName: context.exportNames[exportIndex] ?? null } },
    });
    return;
  }
  publishCompletion(context, entry);
}

function publishCompletion(context: ThreadLoopContext, entry: number): void {
  const { layout } = context;
  const i32 = context.views.i32;
  const position = Atomics.add(i32, Header.COMPLETION_TAIL, 1) & (layout.completionCapacity - 1);
  Atomics.store(i32, layout.completionsIndex + position, entry + 1);
  // Why a load before the exchange: the host mostly finds the completion before it waits, and a
  // load leaves the header's cache line shared where an exchange would take it from the host.
  if (Atomics.load(i32, Header.HOST_WAITING) === 1 && Atomics.exchange(i32, Header.HOST_WAITING, 0) === 1) {
    if (context.wake === 'wait-async') Atomics.notify(i32, Header.HOST_WAITING, 1);
    else context.post({ weft: ENVELOPE, type: 'wake' });
  }
}

function describeResult(result: unknown): string {
  if (Array.isArray(result)) return `${result.length} values`;
  return result === null ? 'null (a reference)' : `a ${typeof result}`;
}
