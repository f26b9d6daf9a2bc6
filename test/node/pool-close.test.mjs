import assert from 'node:assert/strict';
import { test } from 'node:test';
import wabt from 'wabt';
import { createPool, PoolClosedError } from '../../dist/node.js';
import { wasmUrl } from '../fixtures/paths.mjs';

const COUNTER = 4096; // a word of numbers.wasm's memory that no other export touches

/** Blocks this thread until the word at `address` reaches `value`, then a little longer. */
function blockUntil(memory, address, value) {
  const words = new Int32Array(memory.buffer);
  const deadline = Date.now() + 10_000;
  while (Atomics.load(words, address / 4) < value) {
    if (Date.now() > deadline) throw new Error(`the counter stayed at ${Atomics.load(words, address / 4)}`);
  }
  // Why: a worker publishes its completion just after the wasm add; let the last ones land.
  const settle = Date.now() + 50;
  while (Date.now() < settle);
}

// Issue 12: close() rejected 100 of 100 tasks whose results were already in the completion queue.
test('close() resolves the tasks that finished before it, though their results were not read yet', async () => {
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 2 });
  const tasks = Array.from({ length: 100 }, () => pool.run('atomic_add', COUNTER, 1).then((old) => old, (error) => error));
  // One microtask turn lets the burst's wake-up go out; after it the main thread does not yield
  // (a completion is a task, not a microtask), so the host cannot read completions before close().
  await null;
  blockUntil(pool.memory, COUNTER, 100);
  const closing = pool.close();
  const outcomes = await Promise.all(tasks);
  await closing;
  const failures = outcomes.filter((outcome) => outcome instanceof Error);
  assert.equal(failures.length, 0, `${failures.length} finished tasks rejected: ${failures[0]?.message}`);
  assert.deepEqual(outcomes.toSorted((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
});

// A mutant that dropped the tasks still waiting beyond queueCapacity left them unsettled for ever.
test('close() rejects the tasks queued beyond queueCapacity and those aimed at busy threads', async () => {
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 1, queueCapacity: 2 });
  const settled = [];
  const track = (promise) => promise.then((value) => settled.push({ value }), (error) => settled.push({ error }));
  const blocking = track(pool.run('wait_forever'));
  // Why wait: the thread looks at its mailbox first, so a runOn made now could run before wait_forever.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const tasks = [blocking, ...[...Array.from({ length: 10 }, (_, i) => pool.run('echo_i32', i)), pool.runOn(0, 'echo_i32', 1), pool.runOn(0, 'echo_i32', 2)].map(track)];
  await new Promise((resolve) => setTimeout(resolve, 20));
  await pool.close();
  await Promise.race([Promise.all(tasks), new Promise((_, reject) => setTimeout(() => reject(new Error(`${settled.length} of 13 tasks settled`)), 5_000))]);
  assert.equal(settled.length, 13);
  for (const outcome of settled) assert.ok(outcome.error instanceof PoolClosedError, JSON.stringify(outcome));
});

// A mutant that published only the first of several tasks waiting for one thread hung the rest.
test('several runOn and broadcast calls aimed at a busy thread all run, in order', async () => {
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 2 });
  try {
    const busy = pool.runOn(0, 'sleep_ms', 30);
    const onZero = [1, 2, 3].map((value) => pool.runOn(0, 'echo_i32', value));
    const everywhere = [pool.broadcast('echo_i32', 7), pool.broadcast('echo_i32', 8)];
    const onOne = [4, 5].map((value) => pool.runOn(1, 'echo_i32', value));
    const all = Promise.all([busy, Promise.all(onZero), Promise.all(everywhere), Promise.all(onOne)]);
    const [, zero, both, one] = await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error('a task aimed at a thread never ran')), 10_000))]);
    assert.deepEqual(zero, [1, 2, 3]);
    assert.deepEqual(both, [[7, 7], [8, 8]]);
    assert.deepEqual(one, [4, 5]);
  } finally {
    await pool.close();
  }
});

// Issue 12: the backlog had no bound, so a caller that never awaited grew memory until the process died.
test('beyond maxQueuedTasks waiting tasks a call rejects with QueueFullError, whole (a broadcast or parallelFor submits all or nothing)', async () => {
  const { QueueFullError } = await import('../../dist/errors/index.js');
  const pool = await createPool({ module: wasmUrl('numbers'), threads: 2, queueCapacity: 1, maxQueuedTasks: 3 });
  try {
    const blockers = [pool.runOn(0, 'sleep_ms', 200), pool.runOn(1, 'sleep_ms', 200)];
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = pool.run('echo_i32', 0); // takes the one place in the shared queue
    const waiting = [1, 2].map((value) => pool.run('echo_i32', value)); // two wait
    await assert.rejects(pool.broadcast('echo_i32', 9), (error) => {
      assert.ok(error instanceof QueueFullError, `${error.name}: ${error.message}`);
      assert.equal(error.code, 'WEFT_QUEUE_FULL');
      assert.match(error.message, /maxQueuedTasks \(3\)/);
      return true;
    });
    await assert.rejects(pool.parallelFor('add_i32', 0, 4, { chunkSize: 2 }), QueueFullError);
    const third = pool.run('echo_i32', 3); // the last place
    await assert.rejects(pool.run('echo_i32', 4), QueueFullError);
    await assert.rejects(pool.runOn(0, 'echo_i32', 4), QueueFullError);
    assert.deepEqual(await Promise.all([first, ...waiting, third]), [0, 1, 2, 3]);
    await Promise.all(blockers);
    assert.deepEqual(await pool.broadcast('echo_i32', 5), [5, 5], 'room again once they ran');
  } finally {
    await pool.close();
  }
  for (const maxQueuedTasks of [0, 2 ** 30 + 1, 1.5, '8']) {
    await assert.rejects(createPool({ module: wasmUrl('numbers'), threads: 1, maxQueuedTasks }), { code: 'WEFT_INVALID_OPTION', option: 'maxQueuedTasks' });
  }
});

// Deno 2.9's terminate() does not stop a thread that is running code (denoland/deno#35657): the
// task kept running after close() resolved, and its writes landed later (the soak's counter grew
// by one in the round after a close). A task that was running when close() was called has either
// been stopped or finished by the time close() resolves: its writes do not land later.
test('a task running when close() is called writes nothing to memory after close() resolved', async () => {
  const wat = `(module (import "env" "memory" (memory 1 1 shared))
    (func (export "spin_then_add") (param $iterations i32) (local $i i32)
      (i32.atomic.store (i32.const 0) (i32.const 1))
      (loop $again
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $again (i32.lt_u (local.get $i) (local.get $iterations))))
      (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))))`;
  const bytes = (await wabt()).parseWat('spin-then-add.wat', wat, { threads: true }).toBinary({}).buffer;
  const pool = await createPool({ module: bytes, threads: 1 });
  const words = new Int32Array(pool.memory.buffer);
  // About 50-200 ms of looping: long enough to be running at close(), short enough to finish.
  const task = pool.run('spin_then_add', 150_000_000).then(() => 'resolved', (error) => error.name);
  const deadline = Date.now() + 10_000;
  while (Atomics.load(words, 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(Atomics.load(words, 0), 1, 'the task started');
  await pool.close();
  const atClose = Atomics.load(words, 1);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(Atomics.load(words, 1), atClose, 'the task wrote to memory after close() resolved');
  assert.equal(await task, 'PoolClosedError');
});
