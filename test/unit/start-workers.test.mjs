// Worker start-up, on a platform of fake workers: how many boot at once, and the start timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWorkers } from '../../dist/core/start-workers.js';

const ENVELOPE = 1;

/** A platform whose workers become ready only when the test says so. */
function fakePlatform(cores) {
  const created = [];
  return {
    created,
    defaultThreadCount: () => cores,
    createWorker(threadId) {
      const worker = {
        threadId,
        listener: undefined,
        posted: [],
        terminated: false,
        postMessage(message) { this.posted.push(message); },
        onMessage(listener) { this.listener = listener; },
        onFailure() {},
        terminate() { this.terminated = true; return Promise.resolve(); },
        keepAlive() {},
        ready() { this.listener({ weft: ENVELOPE, type: 'ready', threadId }); },
      };
      created.push(worker);
      return worker;
    },
  };
}

const noop = () => {};
const init = (threadId) => ({ weft: ENVELOPE, type: 'init', threadId });

// Issue 12: 100 threads started at once blocked the caller's event loop for 28 of 31 s.
test('about one worker per core boots at a time; the next is created as one becomes ready', async () => {
  const platform = fakePlatform(2);
  const starting = startWorkers({ platform, count: 7, timeoutMs: 10_000, initFor: init, onMessage: noop, onFailure: noop });
  assert.equal(platform.created.length, 2, 'two cores: two workers boot at first');
  platform.created[1].ready();
  assert.equal(platform.created.length, 3);
  platform.created[0].ready();
  assert.equal(platform.created.length, 4);
  while (platform.created.some((worker) => !worker.readied)) {
    const worker = platform.created.find((w) => !w.readied);
    worker.readied = true;
    worker.ready();
  }
  const workers = await starting;
  assert.deepEqual(workers.map((w) => w.threadId), [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(workers.every((w) => w.posted.length === 1 && w.posted[0].threadId === w.threadId));
});

test('on one core two workers still boot at once (one may wait for work of the caller)', async () => {
  const platform = fakePlatform(1);
  const starting = startWorkers({ platform, count: 3, timeoutMs: 10_000, initFor: init, onMessage: noop, onFailure: noop });
  assert.equal(platform.created.length, 2);
  for (let k = 0; k < 3; k++) platform.created[k].ready();
  assert.equal((await starting).length, 3);
});

test('the start fails with WorkerStartError when no worker becomes ready for startTimeout ms, and ends every worker', async () => {
  const platform = fakePlatform(2);
  const starting = startWorkers({ platform, count: 4, timeoutMs: 100, initFor: init, onMessage: noop, onFailure: noop });
  platform.created[0].ready();
  await assert.rejects(starting, (error) => {
    assert.equal(error.code, 'WEFT_WORKER_START');
    assert.match(error.message, /Only 1 of 4 workers were ready/);
    return true;
  });
  assert.ok(platform.created.every((worker) => worker.terminated));
});

// A ready worker of a batch may already run a program's thread and signal the host by message
// (wasi-threads without Atomics.waitAsync); such a message was dropped while the rest of the
// batch still started, and the program hung (Chromium without waitAsync, once workers booted in waves).
test('a worker that is ready delivers its messages to onMessage though other workers of the batch still start', async () => {
  const platform = fakePlatform(2);
  const received = [];
  const starting = [];
  const startup = startWorkers({
    platform, count: 4, timeoutMs: 10_000, initFor: init, onFailure: noop,
    onMessage: (threadId, message) => received.push([threadId, message.type]),
    onStartingMessage: (threadId, message) => starting.push([threadId, message.type]),
  });
  platform.created[0].ready();
  platform.created[0].listener({ weft: ENVELOPE, type: 'wake' });
  platform.created[1].listener({ weft: ENVELOPE, type: 'bindgen-rayon-spawn' });
  assert.deepEqual(received, [[0, 'wake']]);
  assert.deepEqual(starting, [[1, 'bindgen-rayon-spawn']]);
  for (let k = 1; k < 4; k++) platform.created[k].ready();
  await startup;
});
