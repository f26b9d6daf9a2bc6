import { monotonicNow, realtimeNow } from './clocks.js';
import { Clockid, Errno, Eventrwflags, Eventtype, Layout, Subclockflags, type ErrnoValue } from './constants.js';
import { fail } from './errno-error.js';
import type { GuestMemory } from './memory.js';
import type { SyscallResult, WasiContext } from './syscall.js';

/** One subscription as read from guest memory; clock deadlines are on the monotonic clock. */
type Subscription =
  | { readonly userdata: bigint; readonly type: typeof Eventtype.CLOCK; readonly deadline: bigint; readonly error: ErrnoValue }
  | { readonly userdata: bigint; readonly type: typeof Eventtype.FD_READ | typeof Eventtype.FD_WRITE; readonly fd: number };

interface PollEvent {
  readonly userdata: bigint;
  readonly error: ErrnoValue;
  readonly type: number;
  readonly nbytes: bigint;
  readonly flags: number;
}

/** The longest delay `setTimeout` takes (2^31 − 1 ms); longer waits are re-armed. */
const MAX_TIMER_MS = 0x7fff_ffff;

function readSubscriptions(memory: GuestMemory, pointer: number, count: number): Subscription[] {
  const S = Layout.SUBSCRIPTION;
  memory.checkRange(pointer, count * S.SIZE);
  const subscriptions: Subscription[] = [];
  const monotonic = monotonicNow();
  for (let index = 0; index < count; index += 1) {
    const at = pointer + index * S.SIZE;
    const userdata = memory.getU64(at + S.USERDATA);
    const type = memory.getU8(at + S.TAG);
    if (type === Eventtype.CLOCK) {
      const id = memory.getU32(at + S.CLOCK_ID);
      const timeout = memory.getU64(at + S.CLOCK_TIMEOUT);
      const absolute = (memory.getU16(at + S.CLOCK_FLAGS) & Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
      let deadline = monotonic;
      let error: ErrnoValue = Errno.SUCCESS;
      if (id === Clockid.MONOTONIC) deadline = absolute ? timeout : monotonic + timeout;
      else if (id === Clockid.REALTIME) deadline = absolute ? monotonic + (timeout - realtimeNow()) : monotonic + timeout;
      else error = Errno.NOTSUP;
      subscriptions.push({ userdata, type, deadline, error });
    } else if (type === Eventtype.FD_READ || type === Eventtype.FD_WRITE) {
      subscriptions.push({ userdata, type, fd: memory.getU32(at + S.FD_READWRITE_FILE_DESCRIPTOR) });
    } else {
      fail(Errno.INVAL);
    }
  }
  return subscriptions;
}

/** The event `subscription` has now, if any. */
function check(context: WasiContext, subscription: Subscription, now: bigint): PollEvent | undefined {
  const { userdata, type } = subscription;
  if (subscription.type === Eventtype.CLOCK) {
    if (subscription.error !== Errno.SUCCESS || subscription.deadline <= now) {
      return { userdata, type, error: subscription.error, nbytes: 0n, flags: 0 };
    }
    return undefined;
  }
  const failed = (error: ErrnoValue): PollEvent => ({ userdata, type, error, nbytes: 0n, flags: 0 });
  const entry = context.fds.find(subscription.fd);
  if (entry === undefined) return failed(Errno.BADF);
  if (subscription.type === Eventtype.FD_READ) {
    if (entry.type === 'file') {
      const left = entry.handle.stat().size - BigInt(entry.position);
      return { userdata, type, error: Errno.SUCCESS, nbytes: left > 0n ? left : 0n, flags: 0 };
    }
    if (entry.type !== 'stdin') return failed(Errno.BADF);
    if (!entry.input.isReady()) return undefined;
    const hangup = entry.input.available === 0 ? Eventrwflags.FD_READWRITE_HANGUP : 0;
    return { userdata, type, error: Errno.SUCCESS, nbytes: BigInt(entry.input.available), flags: hangup };
  }
  if (entry.type === 'file' || entry.type === 'output') return { userdata, type, error: Errno.SUCCESS, nbytes: 0n, flags: 0 };
  return failed(Errno.BADF);
}

function writeEvents(memory: GuestMemory, out: number, events: readonly PollEvent[], neventsPointer: number): void {
  const E = Layout.EVENT;
  events.forEach((event, index) => {
    const at = out + index * E.SIZE;
    memory.write(at, new Uint8Array(E.SIZE));
    memory.setU64(at + E.USERDATA, event.userdata);
    memory.setU16(at + E.ERROR, event.error);
    memory.setU8(at + E.TYPE, event.type);
    memory.setU64(at + E.FD_READWRITE_NBYTES, event.nbytes);
    memory.setU16(at + E.FD_READWRITE_FLAGS, event.flags);
  });
  memory.setU32(neventsPointer, events.length);
}

/**
 * `poll_oneoff`: answers at once with every subscription that is ready (errors included), or
 * waits — with one timer for the earliest clock deadline and a listener on stdin, never a busy
 * loop — until at least one is. Regular files are always ready; stdout and stderr are always
 * ready for writing.
 */
export function pollOneoff(context: WasiContext, memory: GuestMemory, input: number, out: number, count: number, nevents: number): SyscallResult {
  if (count === 0) fail(Errno.INVAL);
  const subscriptions = readSubscriptions(memory, input, count);
  memory.checkRange(out, count * Layout.EVENT.SIZE);
  memory.checkRange(nevents, 4);
  const ready = (): PollEvent[] => {
    const now = monotonicNow();
    return subscriptions.flatMap((subscription) => check(context, subscription, now) ?? []);
  };
  const first = ready();
  if (first.length > 0) {
    writeEvents(memory, out, first, nevents);
    return Errno.SUCCESS;
  }
  // Why: output held back for its newline shows before the program sleeps or waits for input.
  context.outputs.flush();
  return new Promise<number>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unlisten: (() => void) | undefined;
    const disarm = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      unlisten?.();
      timer = undefined;
      unlisten = undefined;
    };
    const cancel = (): void => {
      disarm();
      resolve(Errno.CANCELED);
    };
    const wake = (): void => {
      disarm();
      const events = ready();
      if (events.length === 0) {
        arm();
        return;
      }
      context.waits.delete(cancel);
      writeEvents(memory.renew(), out, events, nevents);
      resolve(Errno.SUCCESS);
    };
    const arm = (): void => {
      let deadline: bigint | undefined;
      for (const subscription of subscriptions) {
        if (subscription.type === Eventtype.CLOCK) {
          if (deadline === undefined || subscription.deadline < deadline) deadline = subscription.deadline;
          continue;
        }
        const entry = context.fds.find(subscription.fd);
        if (entry?.type === 'stdin' && unlisten === undefined) unlisten = entry.input.onReady(wake);
      }
      if (deadline !== undefined) {
        // Why round up and re-check on waking: a timer may fire a little early, and a sleep must
        // never end before its deadline.
        const ms = Number((deadline - monotonicNow() + 999_999n) / 1_000_000n);
        timer = setTimeout(wake, Math.min(Math.max(ms, 0), MAX_TIMER_MS));
      }
    };
    context.waits.add(cancel);
    arm();
  });
}
