// The idle worker's spin policy (issue 13): spin while spins find work, park at once for longer
// and longer after spins that time out or are descheduled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpinPolicy } from '../../dist/worker/spin-policy.js';

test('spins for its budget while spins find work; spinMicros 0 never spins', () => {
  const policy = new SpinPolicy(50);
  for (let now = 0; now < 100; now++) {
    assert.equal(policy.budget(now), 50);
    policy.record('moved', now);
  }
  assert.equal(new SpinPolicy(0).budget(0), 0);
});

test('after a failed spin it parks at once for 1 ms, then 2, 4 … ms for failures in a row, up to 512 ms', () => {
  const policy = new SpinPolicy(50);
  let now = 0;
  const quiet = [];
  for (let failures = 0; failures < 12; failures++) {
    policy.record(failures % 2 ? 'preempted' : 'timed-out', now);
    let until = now;
    while (policy.budget(until) === 0) until += 0.25;
    quiet.push(until - now);
    now = until;
  }
  assert.deepEqual(quiet, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512]);
});

test('a spin that finds work earns one level back while few recent spins failed; another worker spinning changes nothing', () => {
  const policy = new SpinPolicy(50);
  for (let i = 0; i < 20; i++) policy.record('moved', 0);
  policy.record('timed-out', 0); // level 1, failure rate 1/16
  assert.equal(policy.budget(0.9), 0);
  assert.equal(policy.budget(1), 50);
  policy.record('not-mine', 1);
  policy.record('moved', 1); // rate under 0.1: level 0
  policy.record('timed-out', 10); // level 1 again: quiet for 1 ms, not 2
  assert.equal(policy.budget(10.9), 0);
  assert.equal(policy.budget(11), 50);
});

test('while many recent spins failed, successes do not earn levels back (Chromium, cores busy: every other spin failed)', () => {
  const policy = new SpinPolicy(50);
  let now = 0;
  for (let i = 0; i < 6; i++) {
    policy.record('timed-out', now);
    while (policy.budget(now) === 0) now += 0.25;
    policy.record('moved', now);
  }
  // Six failures, each followed by a success: only the first success (failure rate 1/16 then)
  // earned its level back, so the seventh failure in this pattern parks for 32 ms.
  policy.record('timed-out', now);
  const from = now;
  while (policy.budget(now) === 0) now += 0.25;
  assert.equal(now - from, 32);
});

test('after a descheduled spin it takes about 25 good spins in a row before levels come back', () => {
  const fresh = new SpinPolicy(50);
  fresh.record('preempted', 0);
  fresh.record('timed-out', 1); // level 2
  for (let i = 0; i < 24; i++) fresh.record('moved', 3);
  fresh.record('timed-out', 3); // 24 good spins were not enough: level 3, quiet 4 ms
  assert.equal(fresh.budget(6.9), 0);
  assert.equal(fresh.budget(7), 50);
  const recovered = new SpinPolicy(50);
  recovered.record('preempted', 0);
  recovered.record('timed-out', 1);
  for (let i = 0; i < 40; i++) recovered.record('moved', 3); // rate under 0.1 after ~27: levels 2 → 0
  recovered.record('timed-out', 3); // level 1: quiet 1 ms
  assert.equal(recovered.budget(3.9), 0);
  assert.equal(recovered.budget(4), 50);
});
