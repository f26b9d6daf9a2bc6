// The clock of one spin (issue 13): no clock read in its first polls, the end of its budget, and
// a gap in its own clock (a deschedule) ending it at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpinTimer } from '../../dist/worker/spin-timer.js';

/** Runs `fn` with performance.now() answering from `times` in turn, and counts the reads. */
function withClock(times, fn) {
  const real = performance.now;
  let reads = 0;
  performance.now = () => times[Math.min(reads++, times.length - 1)];
  try {
    fn();
  } finally {
    performance.now = real;
  }
  return reads;
}

/** Ticks until the timer ends the spin; returns the outcome and the polls it took. */
function spin(timer) {
  for (let polls = 1; ; polls++) {
    const outcome = timer.tick();
    if (outcome !== undefined) return { outcome, polls };
  }
}

test('the first polls read no clock', () => {
  const timer = new SpinTimer();
  const reads = withClock([0], () => {
    timer.start(50);
    for (let i = 0; i < 63; i++) assert.equal(timer.tick(), undefined);
  });
  assert.equal(reads, 0);
});

test('a spin ends timed out once its budget has passed, counted from the first clock read', () => {
  const timer = new SpinTimer();
  let result;
  // Clock reads every 64 polls, 0.01 ms apart: a 50 µs budget ends at the sixth read after the first.
  const reads = withClock([1, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06], () => {
    timer.start(50);
    result = spin(timer);
  });
  assert.deepEqual(result, { outcome: 'timed-out', polls: 64 * 7 });
  assert.equal(reads, 7);
});

test('a gap in the clock between two reads ends the spin as preempted; start() begins anew', () => {
  const timer = new SpinTimer();
  let result;
  withClock([1, 1.01, 1.5], () => {
    timer.start(1000);
    result = spin(timer);
  });
  assert.deepEqual(result, { outcome: 'preempted', polls: 64 * 3 });
  // Restarted, the first clock read sets a new deadline rather than being compared with the last one.
  withClock([10, 10.01], () => {
    timer.start(5);
    result = spin(timer);
  });
  assert.deepEqual(result, { outcome: 'timed-out', polls: 64 * 2 });
});

test('with the real clock, a spin of 200 µs lasts at least that long (a deschedule ends it only after a longer gap)', () => {
  const timer = new SpinTimer();
  timer.start(200);
  const started = performance.now();
  spin(timer);
  assert.ok(performance.now() - started >= 0.2);
});
