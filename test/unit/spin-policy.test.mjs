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

test('each spin that finds work earns one level back; another worker spinning changes nothing', () => {
  const policy = new SpinPolicy(50);
  policy.record('timed-out', 0); // level 1
  policy.record('timed-out', 1); // level 2: quiet until 3
  policy.record('not-mine', 3);
  assert.equal(policy.budget(3), 50);
  policy.record('moved', 3); // level 1
  policy.record('timed-out', 10); // level 2 again: quiet for 2 ms
  assert.equal(policy.budget(11.9), 0);
  assert.equal(policy.budget(12), 50);
});
