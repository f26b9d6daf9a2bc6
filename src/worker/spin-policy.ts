/** What came of one spin: work came, the time ran out, the thread was descheduled, or another worker spins. */
export type SpinOutcome = 'moved' | 'timed-out' | 'preempted' | 'not-mine';

/** Idle periods after a failed spin park at once for BASE_QUIET_MS · 2^(level-1), up to MAX_LEVEL. */
const BASE_QUIET_MS = 1;
const MAX_LEVEL = 10;

/**
 * Whether an idle worker spins before it parks, learnt from how its own spins went.
 *
 * Why: a short spin saves the futex wake-up of a parked worker when the next task comes at once
 * (a 0.15x round trip on a quiet machine), but on oversubscribed cores it loses badly: the
 * spinner holds a core the caller needs, and the host, seeing a spinner, wakes nobody, so a
 * spinner that was descheduled leaves the task waiting for its next time slice (3.3x slower than
 * parking at once, measured with a CPU burner per core). So a spin that timed out (the caller is
 * not keeping up) or was descheduled (a gap in its own clock) turns spinning off for a while,
 * twice as long after each failure in a row; each spin that finds work quickly earns a level back.
 */
export class SpinPolicy {
  private level = 0;
  private quietUntil = 0;

  constructor(private readonly spinMicros: number) {}

  /** Microseconds to spin before parking now; 0 parks at once. */
  budget(now: number): number {
    return this.spinMicros > 0 && now >= this.quietUntil ? this.spinMicros : 0;
  }

  /** Takes what the last spin came to. */
  record(outcome: SpinOutcome, now: number): void {
    if (outcome === 'moved') {
      if (this.level > 0) this.level--;
    } else if (outcome !== 'not-mine') {
      this.level = Math.min(this.level + 1, MAX_LEVEL);
      this.quietUntil = now + BASE_QUIET_MS * 2 ** (this.level - 1);
    }
  }
}
