/** What came of one spin: work came, the time ran out, the thread was descheduled, or another worker spins. */
export type SpinOutcome = 'moved' | 'timed-out' | 'preempted' | 'not-mine';

/** After a failed spin, waits park at once for BASE_QUIET · 2^(level-1) of the policy's clock, up to MAX_LEVEL. */
const BASE_QUIET = 1;
const MAX_LEVEL = 10;

/** Weight of the latest spin in the running failure rate (about the last 16 spins count). */
const RATE_WEIGHT = 1 / 16;
/**
 * Weight of a descheduled spin: one costs a time slice (milliseconds) where a successful spin
 * saves tens of µs, so it takes about 25 good spins in a row before spinning earns levels back.
 */
const PREEMPTED_WEIGHT = 1 / 2;
/** Spins earn levels back only while fewer than this share of recent spins failed. */
const GOOD_RATE = 0.1;

/**
 * Whether an idle worker spins before it parks, learnt from how its own spins went.
 *
 * Why: a short spin saves the futex wake-up of a parked worker when the next task comes at once
 * (a 0.15x round trip on a quiet machine), but on oversubscribed cores it loses badly: the
 * spinner holds a core the caller needs, and the host, seeing a spinner, wakes nobody, so a
 * spinner that was descheduled leaves the task waiting for its next time slice (3.3x slower than
 * parking at once, measured with a CPU burner per core). So a spin that timed out (the caller is
 * not keeping up) or was descheduled (a gap in its own clock) turns spinning off for a while,
 * twice as long after each failure in a row. A spin that finds work quickly earns a level back,
 * but only while most recent spins did (a running failure rate): in Chromium with every core
 * busy about every other spin failed, and earning a level back on each success kept the worker
 * spinning at 5x the parked latency.
 */
export class SpinPolicy {
  private level = 0;
  private backedOff = false;
  private quietUntil = 0;
  private failureRate = 0;

  /**
   * `clock`, in {@link budget} and {@link record}, is any clock that never goes back: milliseconds
   * (a pool worker, whose waits come one per task), or a count of the owner's own events (the
   * bindgen receiver counts calls answered; see bindgen-fast-calls.ts for why). It is read only
   * while a failed spin's back-off may hold and when a spin failed.
   * Why so sparingly: in a Chromium worker a `performance.now()` between answering a task and
   * parking made the busy round trip about a third slower; see PARKS_PER_CLOCK_READ in
   * thread-loop.ts.
   */
  constructor(private readonly spinMicros: number) {}

  /** Microseconds to spin before parking now; 0 parks at once. */
  budget(clock: () => number): number {
    if (this.spinMicros === 0) return 0;
    if (this.backedOff) {
      if (clock() < this.quietUntil) return 0;
      this.backedOff = false;
    }
    return this.spinMicros;
  }

  /** Takes what the last spin came to. */
  record(outcome: SpinOutcome, clock: () => number): void {
    if (outcome === 'not-mine') return;
    const failed = outcome !== 'moved';
    this.failureRate += ((failed ? 1 : 0) - this.failureRate) * (outcome === 'preempted' ? PREEMPTED_WEIGHT : RATE_WEIGHT);
    if (!failed) {
      if (this.level > 0 && this.failureRate < GOOD_RATE) this.level--;
    } else {
      this.level = Math.min(this.level + 1, MAX_LEVEL);
      this.backedOff = true;
      this.quietUntil = clock() + BASE_QUIET * 2 ** (this.level - 1);
    }
  }
}
