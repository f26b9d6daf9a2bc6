// The thread's side of a fast-call channel (src/worker/bindgen-fast-calls.ts) against a host
// that hands over the next call the moment the last one is answered: a second thread plays the
// host and spins on the slot, so the receiver's spin finds every next call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CALL_SLOT_BYTES, INITIAL_ARENA_BYTES } from '../../dist/protocol/bindgen-call-layout.js';
import { FastCallReceiver } from '../../dist/worker/bindgen-fast-calls.js';

const CALLS = 100_000;

/** A host thread: writes call i (add(i, 1)) each time the last is answered, counts wrong results, then closes the slot. */
const HOST = `
const { workerData: { slot, arena, calls, layout, values }, parentPort } = require('node:worker_threads');
import(values).then(({ ValueArena, readValues, writeValues }) => import(layout).then(({ CallSlot, CallState, TargetKind }) => {
  const i32 = new Int32Array(slot);
  const view = new ValueArena(arena);
  let wrong = 0;
  for (let i = 0; i < calls; i++) {
    writeValues(view, ['add', i, 1], null);
    i32[CallSlot.CALL_ID] = i;
    i32[CallSlot.TARGET_KIND] = TargetKind.export;
    i32[CallSlot.OBJECT_ID] = 0;
    i32[CallSlot.VALUE_COUNT] = 3;
    Atomics.store(i32, CallSlot.STATE, CallState.CALL);
    if (Atomics.load(i32, CallSlot.SPINNING) !== 1) Atomics.notify(i32, CallSlot.STATE);
    let state;
    const deadline = Date.now() + 5000;
    while ((state = Atomics.load(i32, CallSlot.STATE)) === CallState.CALL) {
      if (Date.now() > deadline) {
        parentPort.postMessage('call ' + i + ' was not answered within 5 s');
        return;
      }
    }
    if (state !== CallState.RESULT || readValues(view, 1).values[0] !== i + 1) wrong++;
    Atomics.store(i32, CallSlot.STATE, CallState.IDLE);
  }
  Atomics.store(i32, CallSlot.STATE, CallState.CLOSED);
  Atomics.notify(i32, CallSlot.STATE);
  parentPort.postMessage(wrong);
}));
`;

test('calls that follow each other at once are answered in a loop: 100,000 of them, each right, without growing the stack', async () => {
  const setup = { slot: new SharedArrayBuffer(CALL_SLOT_BYTES), arena: new SharedArrayBuffer(INITIAL_ARENA_BYTES), wake: 'wait-async' };
  const posted = [];
  let ran = 0;
  const objects = {
    borrowedArguments: () => [],
    run({ target, args }) {
      assert.equal(target.name, 'add');
      ran++;
      return { value: args[0] + args[1], kept: null };
    },
  };
  const receiver = new FastCallReceiver(setup, { post: (message) => posted.push(message), close() {} }, 0, objects);
  const host = new Worker(HOST, {
    eval: true,
    workerData: {
      ...setup,
      calls: CALLS,
      layout: new URL('../../dist/protocol/bindgen-call-layout.js', import.meta.url).href,
      values: new URL('../../dist/protocol/bindgen-values.js', import.meta.url).href,
    },
  });
  const wrong = new Promise((resolve, reject) => {
    host.once('message', resolve);
    host.once('error', reject);
  });
  receiver.listen();
  assert.equal(await wrong, 0);
  await host.terminate();
  assert.equal(ran, CALLS);
  assert.deepEqual(posted, [], 'no call was answered by message (an error, a stack overflow)');
});
