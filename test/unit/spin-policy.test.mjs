// The idle worker's spin policy (issue 13): spin while spins find work, park at once for longer
// and longer after spins that time out or are descheduled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpinPolicy } from '../../dist/worker/spin-policy.js';

/** A clock that reads `time`. */
const at = (time) => () => time;

test('spins for its budget while spins find work; spinMicros 0 never spins', () => {
  const policy = new SpinPolicy(50);
  for (let now = 0; now < 100; now++) {
    assert.equal(policy.budget(at(now)), 50);
    policy.record('moved', at(now));
  }
  assert.equal(new SpinPolicy(0).budget(at(0)), 0);
});

test('after a failed spin it parks at once for 1 ms, then 2, 4 … ms for failures in a row, up to 512 ms', () => {
  const policy = new SpinPolicy(50);
  let now = 0;
  const quiet = [];
  for (let failures = 0; failures < 12; failures++) {
    policy.record(failures % 2 ? 'preempted' : 'timed-out', at(now));
    let until = now;
    while (policy.budget(at(until)) === 0) until += 0.25;
    quiet.push(until - now);
    now = until;
  }
  assert.deepEqual(quiet, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512]);
});

test('a spin that finds work earns one level back while few recent spins failed; another worker spinning changes nothing', () => {
  const policy = new SpinPolicy(50);
  for (let i = 0; i < 20; i++) policy.record('moved', at(0));
  policy.record('timed-out', at(0)); // level 1, failure rate 1/16
  assert.equal(policy.budget(at(0.9)), 0);
  assert.equal(policy.budget(at(1)), 50);
  policy.record('not-mine', at(1));
  policy.record('moved', at(1)); // rate under 0.1: level 0
  policy.record('timed-out', at(10)); // level 1 again: quiet for 1 ms, not 2
  assert.equal(policy.budget(at(10.9)), 0);
  assert.equal(policy.budget(at(11)), 50);
});

test('while many recent spins failed, successes do not earn levels back (Chromium, cores busy: every other spin failed)', () => {
  const policy = new SpinPolicy(50);
  let now = 0;
  for (let i = 0; i < 6; i++) {
    policy.record('timed-out', at(now));
    while (policy.budget(at(now)) === 0) now += 0.25;
    policy.record('moved', at(now));
  }
  // Six failures, each followed by a success: only the first success (failure rate 1/16 then)
  // earned its level back, so the seventh failure in this pattern parks for 32 ms.
  policy.record('timed-out', at(now));
  const from = now;
  while (policy.budget(at(now)) === 0) now += 0.25;
  assert.equal(now - from, 32);
});

test('after a descheduled spin it takes about 25 good spins in a row before levels come back', () => {
  const fresh = new SpinPolicy(50);
  fresh.record('preempted', at(0));
  fresh.record('timed-out', at(1)); // level 2
  for (let i = 0; i < 24; i++) fresh.record('moved', at(3));
  fresh.record('timed-out', at(3)); // 24 good spins were not enough: level 3, quiet 4 ms
  assert.equal(fresh.budget(at(6.9)), 0);
  assert.equal(fresh.budget(at(7)), 50);
  const recovered = new SpinPolicy(50);
  recovered.record('preempted', at(0));
  recovered.record('timed-out', at(1));
  for (let i = 0; i < 40; i++) recovered.record('moved', at(3)); // rate under 0.1 after ~27: levels 2 → 0
  recovered.record('timed-out', at(3)); // level 1: quiet 1 ms
  assert.equal(recovered.budget(at(3.9)), 0);
  assert.equal(recovered.budget(at(4)), 50);
});

test('reads its clock only while a back-off may hold and when a spin failed (a worker reads no clock between a task and parking)', () => {
  let reads = 0;
  let time = 0;
  const clock = () => {
    reads++;
    return time;
  };
  const policy = new SpinPolicy(50);
  for (let i = 0; i < 100; i++) {
    policy.budget(clock);
    policy.record('moved', clock);
  }
  new SpinPolicy(0).budget(clock);
  assert.equal(reads, 0);
  policy.record('timed-out', clock); // level 1: quiet for 1 ms
  assert.equal(reads, 1);
  assert.equal(policy.budget(clock), 0);
  time = 1;
  assert.equal(policy.budget(clock), 50);
  assert.equal(reads, 3);
  policy.record('moved', clock);
  for (let i = 0; i < 10; i++) assert.equal(policy.budget(clock), 50);
  assert.equal(reads, 3);
});
