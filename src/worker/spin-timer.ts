/** Polls between two clock reads of a spin (each poll is well under a µs). */
const POLLS_PER_CLOCK_READ = 64;
/** A pause between two clock reads of a spin that only a deschedule explains. */
const PREEMPTION_GAP_MS = 0.2;

/**
 * The clock of one spin: ends it when its time is up, or at once when a gap in its own clock
 * shows the thread was descheduled (the cores are oversubscribed; see SpinPolicy).
 * Why the clock starts after the first polls: work that comes at once is taken without a clock
 * read (a `performance.now()` costs a Chromium worker about a µs where it matters most).
 */
export class SpinTimer {
  private polls = 0;
  private clock = 0;
  private deadline = 0;
  private spinMicros = 0;

  /** Starts timing a spin of at most `spinMicros`. */
  start(spinMicros: number): void {
    this.polls = 0;
    this.spinMicros = spinMicros;
  }

  /** Counts one poll that found nothing; says how the spin ends, or undefined to go on. */
  tick(): 'timed-out' | 'preempted' | undefined {
    if (++this.polls % POLLS_PER_CLOCK_READ !== 0) return undefined;
    const now = performance.now();
    if (this.polls === POLLS_PER_CLOCK_READ) this.deadline = now + this.spinMicros / 1000;
    else if (now - this.clock > PREEMPTION_GAP_MS) return 'preempted';
    if (now > this.deadline) return 'timed-out';
    this.clock = now;
    return undefined;
  }
}
