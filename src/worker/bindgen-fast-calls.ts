import { runSoon } from '../core/run-soon.js';
import { serializeError } from '../errors/serialize.js';
import { arenaBytesFor, CallSlot, CallState, TARGET_NAME_COUNT, TargetKind } from '../protocol/bindgen-call-layout.js';
import type { BindgenCallTarget, BindgenFastCallSetup, BindgenKeptObject } from '../protocol/bindgen-messages.js';
import { measureValues, readValues, ValueArena, writeValues } from '../protocol/bindgen-values.js';
import { ENVELOPE } from '../protocol/envelope.js';
import type { CallOutcome, ThreadObjects } from './bindgen-objects.js';
import { SpinPolicy, type SpinOutcome } from './spin-policy.js';
import { SpinTimer } from './spin-timer.js';
import type { WorkerPort } from './worker-port.js';

/**
 * How long a thread that just answered blocks in `Atomics.wait` for the next call before it
 * goes back to its event loop.
 *
 * Why: `Atomics.waitAsync` wakes the thread through its event loop (a task the engine posts,
 * as a message is), which costs as much as the message path for a small call; a futex wait is
 * woken by the host's notify at once. Back-to-back calls (an awaited loop) find the thread
 * there; messages (fallback calls, rayon spawns) wait at most this long, and a thread whose
 * lingers keep timing out stops lingering for a while (SpinPolicy's back-off).
 */
const LINGER_MICROS = 200;
/**
 * How long a thread that just answered first spins for the next call (SpinPolicy turns it off
 * while spins fail). Why: the host then hands over the call with no syscall at all, as a raw
 * pool's spinning worker takes tasks. Why 150 and not a raw pool's 50: the next call comes only
 * after the host was woken through its event loop (20–40 µs where idle cores sleep, as on a VM);
 * with 50 µs about every other spin timed out and the back-off turned spinning off (38 µs per
 * number call instead of 18).
 */
const SPIN_MICROS = 150;
// Why the spin's back-off counts calls answered, not milliseconds: the last call of every burst
// ends in a spin that times out (no call follows), and a back-off in milliseconds then mostly
// expired in the idle time before the next burst, so the next try fell at that burst's end
// again. In the bench's interleaved rows the spin climbed to its top level and stayed off (1,080
// of 1,100 number calls unspun, as slow as the message path). Counted in calls, a failed spin
// skips the next 2^(level-1) calls: spinning is retried while calls come, never while idle, and
// 50–95% of those calls were spun (number call 2.5× → 2.1× a raw pool.run, three A/B runs).

// Why not `performance.now` itself: browsers throw "Illegal invocation" when it is called unbound.
const milliseconds = (): number => performance.now();

const KIND_BY_NUMBER = new Map<number, keyof typeof TargetKind>(Object.entries(TargetKind).map(([kind, number]) => [number, kind as keyof typeof TargetKind]));

/**
 * The thread's side of its fast-call channel (protocol/bindgen-call-layout.ts): waits for a
 * call in the slot without blocking the event loop (message-path calls and rayon spawns still
 * arrive), runs it like a `bindgen-call`, and writes the result into the arena, or sends it by
 * message when the arena cannot carry it (a kept object, a plain object, an error).
 */
export class FastCallReceiver {
  private readonly slot: Int32Array;
  private arena: ValueArena;
  private running = false;
  private stopped = false;
  private readonly linger = new SpinPolicy(LINGER_MICROS);
  private readonly spin = new SpinPolicy(SPIN_MICROS);
  private readonly spinTimer = new SpinTimer();
  /** Calls answered so far: the clock of {@link spin}'s back-off. */
  private callsAnswered = 0;

  constructor(
    private readonly setup: BindgenFastCallSetup,
    private readonly port: WorkerPort,
    private readonly threadId: number,
    private readonly objects: ThreadObjects,
  ) {
    this.slot = new Int32Array(setup.slot);
    this.arena = new ValueArena(setup.arena);
  }

  /** Uses `buffer` as the arena from now on (the host sent it with a message-path call). */
  adoptArena(buffer: SharedArrayBuffer): void {
    this.arena = new ValueArena(buffer);
  }

  /** No more calls: the thread is being torn down. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Runs the calls in the slot while there are any, then waits for the next one (a
   * `bindgen-wake` calls this too, where there is no `Atomics.waitAsync`). Why a loop: a call
   * answered at once is followed by the spin that usually finds the next one, and calling back
   * into this from there would grow the stack by one frame per call.
   */
  readonly listen = (): void => {
    while (!this.stopped && !this.running) {
      const state = Atomics.load(this.slot, CallSlot.STATE);
      if (state !== CallState.CALL) {
        this.waitForCall(state);
        return;
      }
      this.runCall();
    }
  };

  private waitForCall(state: number): void {
    if (state === CallState.CLOSED || this.setup.wake === 'message') return;
    const wait = Atomics.waitAsync(this.slot, CallSlot.STATE, state);
    if (wait.async) void wait.value.then(this.listen);
    else runSoon(this.listen);
  }

  /** Runs the call in the slot and answers it: at once when the export returns a value, once it settles when it returns a promise. */
  private runCall(): void {
    this.running = true;
    const callId = this.slot[CallSlot.CALL_ID]!;
    let outcome: CallOutcome | Promise<CallOutcome>;
    try {
      outcome = this.objects.run(this.readCall());
    } catch (error) {
      this.answerError(callId, error);
      return;
    }
    if (outcome instanceof Promise) {
      void outcome
        .then(
          ({ value, kept }) => this.answer(callId, value, kept),
          (error: unknown) => this.answerError(callId, error),
        )
        .then(this.listen);
      return;
    }
    this.answer(callId, outcome.value, outcome.kept);
  }

  private answerError(callId: number, error: unknown): void {
    this.answerByMessage(() => this.port.post({ weft: ENVELOPE, type: 'bindgen-error', callId, threadId: this.threadId, error: serializeError(error) }));
    this.callDone();
  }

  /** The call is answered: the slot is the host's, and the next call may follow at once. */
  private callDone(): void {
    this.running = false;
    this.lingerForNextCall();
  }

  /** Spins, then blocks briefly, for a call that follows at once (see SPIN_MICROS, LINGER_MICROS). */
  private lingerForNextCall(): void {
    if (this.stopped) return;
    this.callsAnswered++;
    const spinMicros = this.spin.budget(this.callClock);
    if (spinMicros > 0) {
      const outcome = this.spinForCall(spinMicros);
      this.spin.record(outcome, this.callClock);
      if (outcome === 'moved') return;
    }
    const micros = this.linger.budget(milliseconds);
    if (micros === 0) return;
    const state = Atomics.load(this.slot, CallSlot.STATE);
    if (state === CallState.CALL || state === CallState.CLOSED) return;
    Atomics.wait(this.slot, CallSlot.STATE, state, micros / 1000);
    this.linger.record(Atomics.load(this.slot, CallSlot.STATE) === CallState.CALL ? 'moved' : 'timed-out', milliseconds);
  }

  private readonly callClock = (): number => this.callsAnswered;

  private spinForCall(spinMicros: number): SpinOutcome {
    Atomics.store(this.slot, CallSlot.SPINNING, 1);
    this.spinTimer.start(spinMicros);
    let outcome: SpinOutcome | undefined;
    while (outcome === undefined) {
      const state = Atomics.load(this.slot, CallSlot.STATE);
      outcome = state === CallState.CALL || state === CallState.CLOSED ? 'moved' : this.spinTimer.tick();
    }
    Atomics.store(this.slot, CallSlot.SPINNING, 0);
    return outcome;
  }

  /**
   * The call in the slot. Typed arrays that the target's glue only borrows are views of the
   * arena (no copy: the glue copies them into wasm memory itself); the arena is not written
   * again until this call has answered, and the glue keeps nothing of them.
   */
  private readCall(): { target: BindgenCallTarget; args: unknown[]; objectArgs: (number | null)[] } {
    const kind = KIND_BY_NUMBER.get(this.slot[CallSlot.TARGET_KIND]!);
    if (kind === undefined) throw new TypeError(`Unknown call target kind ${this.slot[CallSlot.TARGET_KIND]} in the call slot.`);
    const objectId = this.slot[CallSlot.OBJECT_ID]!;
    const nameCount = TARGET_NAME_COUNT[kind];
    const names = readValues(this.arena, nameCount).values as string[];
    const target = targetOf(kind, names, objectId);
    const inPlace = this.objects.borrowedArguments(target);
    const { values, keptObjects } = readValues(this.arena, this.slot[CallSlot.VALUE_COUNT]!, { from: nameCount, inPlace });
    return { target, args: values, objectArgs: keptObjects };
  }

  private answer(callId: number, value: unknown, kept: BindgenKeptObject | null): void {
    try {
      this.writeAnswer(callId, value, kept);
    } catch (error) {
      this.answerError(callId, error);
      return;
    }
    this.callDone();
  }

  /** Writes the result into the arena, or sends it by message when the arena cannot carry it. */
  private writeAnswer(callId: number, value: unknown, kept: BindgenKeptObject | null): void {
    const needed = kept === null ? measureValues([value], null) : undefined;
    if (needed !== undefined && needed <= this.arena.buffer.byteLength) {
      writeValues(this.arena, [value], null);
      Atomics.store(this.slot, CallSlot.STATE, CallState.RESULT);
      this.signalHost();
      return;
    }
    // Why a bigger arena here: the next result of this size can then go through shared memory.
    const bytes = needed === undefined ? undefined : arenaBytesFor(needed);
    const arena = bytes === undefined ? null : new SharedArrayBuffer(bytes);
    this.answerByMessage(() => {
      try {
        this.port.post({ weft: ENVELOPE, type: 'bindgen-result', callId, value, kept, arena });
      } catch (error) {
        // A result that cannot be cloned (a function): the same error as on the message path.
        this.port.post({ weft: ENVELOPE, type: 'bindgen-error', callId, threadId: this.threadId, error: serializeError(error) });
        return;
      }
      if (arena !== null) this.adoptArena(arena);
    });
  }

  /**
   * Why the state first: once the host has the message it may write the next call into the
   * slot, which a later store would overwrite.
   */
  private answerByMessage(post: () => void): void {
    Atomics.store(this.slot, CallSlot.STATE, CallState.RESULT_BY_MESSAGE);
    // Only with waitAsync: the host's wait must settle; without it, the message is the wake-up.
    if (this.setup.wake === 'wait-async') Atomics.notify(this.slot, CallSlot.STATE);
    post();
  }

  private signalHost(): void {
    if (this.setup.wake === 'wait-async') Atomics.notify(this.slot, CallSlot.STATE);
    else this.port.post({ weft: ENVELOPE, type: 'wake' });
  }
}

function targetOf(kind: keyof typeof TargetKind, names: readonly string[], objectId: number): BindgenCallTarget {
  switch (kind) {
    case 'export':
      return { kind, name: names[0]! };
    case 'construct':
      return { kind, className: names[0]! };
    case 'static':
      return { kind, className: names[0]!, member: names[1]! };
    case 'method':
    case 'get':
      return { kind, objectId, member: names[0]! };
    case 'free':
      return { kind, objectId };
  }
}
