// The host side of the control block (Dispatcher), driven without workers: the test plays the
// threads' part of the protocol (claim a ticket or take the mailbox, write the result, push the
// completion, wake the host) on the control block, as src/worker/thread-loop.ts does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dispatcher } from '../../dist/core/dispatcher.js';
import { computeControlLayout, createControlViews, Header, mailboxEntry, Slot, slotWordIndex } from '../../dist/protocol/control-layout.js';
import { readArguments, writeResult } from '../../dist/protocol/task-values.js';

/** A dispatcher over a fresh control block, and the calls its keepAlive hook received. */
function setUp({ queueCapacity = 4, threads = 2, wake = 'message' } = {}) {
  const layout = computeControlLayout(queueCapacity, threads);
  const views = createControlViews(new SharedArrayBuffer(layout.byteLength));
  const keepAlive = [];
  const dispatcher = new Dispatcher(views, layout, threads, { wake, keepAlive: (alive) => keepAlive.push(alive) });
  return { layout, views, i32: views.i32, dispatcher, keepAlive, wake };
}

/** Claims the next published ticket of the shared queue, as a thread does: its entry, or undefined. */
function claimShared({ i32, layout }) {
  const claimed = Atomics.load(i32, Header.CLAIMED);
  if (claimed === Atomics.load(i32, Header.SUBMITTED)) return undefined;
  Atomics.store(i32, Header.CLAIMED, claimed + 1);
  return claimed & (layout.queueCapacity - 1);
}

/** Takes the thread's mailbox task, as a thread does: its entry, or undefined. */
function takeMailbox({ i32, layout }, threadId) {
  const word = slotWordIndex(layout, threadId) + Slot.MAILBOX;
  if (Atomics.load(i32, word) === 0) return undefined;
  Atomics.store(i32, word, 0);
  return mailboxEntry(layout, threadId);
}

/** Runs the task in `entry` (its result: the first argument + 100), publishes it and wakes the host. */
function finish(setup, entry) {
  const { i32, views, layout, dispatcher, wake } = setup;
  const [first] = readArguments(views, layout, entry);
  writeResult(views, layout, entry, first + 100);
  const position = Atomics.add(i32, Header.COMPLETION_TAIL, 1) & (layout.completionCapacity - 1);
  Atomics.store(i32, layout.completionsIndex + position, entry + 1);
  if (Atomics.exchange(i32, Header.HOST_WAITING, 0) === 1) {
    if (wake === 'wait-async') Atomics.notify(i32, Header.HOST_WAITING, 1);
    else dispatcher.onWakeMessage();
  }
}

/** Lets the dispatcher's microtasks and Atomics.waitAsync callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Records how each promise settles without awaiting it. */
function track(promise) {
  const state = { settled: false };
  promise.then((value) => Object.assign(state, { settled: true, value }), (error) => Object.assign(state, { settled: true, error }));
  return state;
}

test('keepAlive turns true with the first outstanding task and false when none is left, once each', { timeout: 10_000 }, async () => {
  const setup = setUp();
  const first = setup.dispatcher.submit(0, [1]);
  const second = setup.dispatcher.submit(0, [2]);
  assert.deepEqual(setup.keepAlive, [true]);
  finish(setup, claimShared(setup));
  assert.equal(await first, 101);
  assert.deepEqual(setup.keepAlive, [true], 'one task is still outstanding');
  finish(setup, claimShared(setup));
  assert.equal(await second, 102);
  assert.deepEqual(setup.keepAlive, [true, false]);
  const third = setup.dispatcher.submit(0, [3]);
  assert.deepEqual(setup.keepAlive, [true, false, true]);
  finish(setup, claimShared(setup));
  assert.equal(await third, 103);
  assert.deepEqual(setup.keepAlive, [true, false, true, false]);
});

for (const wake of ['message', 'wait-async']) {
  test(`a burst beyond queueCapacity waits its turn and every task gets its own result, one completion at a time (wake: ${wake})`, { timeout: 10_000 }, async () => {
    const setup = setUp({ queueCapacity: 2, wake });
    const tasks = Array.from({ length: 7 }, (_, i) => track(setup.dispatcher.submit(0, [i])));
    assert.equal(Atomics.load(setup.i32, Header.SUBMITTED), 2, 'only as many published as the queue holds');
    for (let done = 0; done < 7; done++) {
      const entry = claimShared(setup);
      assert.notEqual(entry, undefined, `task ${done} was published once an entry was free`);
      finish(setup, entry);
      await settle();
      assert.deepEqual(tasks.map((task) => task.settled), tasks.map((_, i) => i <= done), `after ${done + 1} completions`);
    }
    assert.deepEqual(tasks.map((task) => task.value), [100, 101, 102, 103, 104, 105, 106]);
    assert.equal(claimShared(setup), undefined, 'nothing is published twice');
    assert.deepEqual(setup.keepAlive, [true, false]);
  });
}

test('runOn goes to the thread\'s own mailbox, not the shared queue', { timeout: 10_000 }, async () => {
  const setup = setUp({ threads: 3 });
  const task = setup.dispatcher.submit(0, [5], 2);
  assert.equal(Atomics.load(setup.i32, Header.SUBMITTED), 0);
  assert.equal(takeMailbox(setup, 0), undefined);
  assert.equal(takeMailbox(setup, 1), undefined);
  const entry = takeMailbox(setup, 2);
  assert.equal(entry, mailboxEntry(setup.layout, 2));
  finish(setup, entry);
  assert.equal(await task, 105);
});

test('failTask rejects that task only; a second report for the same entry is ignored', { timeout: 10_000 }, async () => {
  const setup = setUp();
  const failing = setup.dispatcher.submit(0, [1]);
  const passing = setup.dispatcher.submit(0, [2]);
  const failedEntry = claimShared(setup);
  const error = new Error('trap');
  setup.dispatcher.failTask(failedEntry, error);
  await assert.rejects(failing, (thrown) => thrown === error);
  assert.doesNotThrow(() => setup.dispatcher.failTask(failedEntry, new Error('again')));
  assert.deepEqual(setup.keepAlive, [true]);
  finish(setup, claimShared(setup));
  assert.equal(await passing, 102);
  assert.deepEqual(setup.keepAlive, [true, false]);
});

test('stop rejects published tasks and tasks waiting for a busy thread\'s mailbox, and tells the threads to stop', { timeout: 10_000 }, async () => {
  const setup = setUp({ threads: 2 });
  const shared = track(setup.dispatcher.submit(0, [1]));
  const first = track(setup.dispatcher.submit(0, [2], 1));
  const waiting = track(setup.dispatcher.submit(0, [3], 1));
  const epoch = Atomics.load(setup.i32, Header.EPOCH);
  const reason = new Error('closed');
  setup.dispatcher.stop(() => reason);
  await settle();
  for (const [name, task] of Object.entries({ shared, first, waiting })) assert.equal(task.error, reason, name);
  assert.equal(Atomics.load(setup.i32, Header.STOP), 1);
  assert.ok(Atomics.load(setup.i32, Header.EPOCH) !== epoch, 'EPOCH moves so that no thread parks again');
  assert.equal(Atomics.load(setup.i32, Header.HOST_WAITING), 0);
  assert.deepEqual(setup.keepAlive, [true, false]);
});
