// Reports whether this page is cross-origin isolated and, when it is, checks that a module worker
// can block in Atomics.wait while this page awaits Atomics.waitAsync on the same memory.
import {
  CELLS, STATE, STATE_READY, STATE_STARTED, WAIT_RESULT, WAIT_RESULTS, WAKE,
} from './wait-layout.js';

const TIMEOUT_MS = 10_000;

async function run() {
  const results = {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
  };
  if (!results.sharedArrayBuffer) return results;

  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  results.sharedWasmMemory = memory.buffer instanceof SharedArrayBuffer;

  const cells = new Int32Array(new SharedArrayBuffer(CELLS * Int32Array.BYTES_PER_ELEMENT));
  try {
    Atomics.wait(cells, WAKE, 0, 0);
    results.mainThreadWaitThrows = false;
  } catch (error) {
    results.mainThreadWaitThrows = error instanceof TypeError;
  }

  // Why: bundlers only find workers written as this literal; the tests use the same form.
  const worker = new Worker(new URL('./wait-worker.js', import.meta.url), { type: 'module' });
  const workerFailed = new Promise((_, reject) => {
    worker.onerror = (event) => reject(new Error(`worker error: ${event.message ?? 'failed to load'}`));
  });
  workerFailed.catch(() => {}); // still rejects the races below; only silences a late error
  try {
    worker.postMessage(cells.buffer);
    const ready = Atomics.waitAsync(cells, STATE, STATE_STARTED, TIMEOUT_MS);
    results.waitAsyncWasAsync = ready.async;
    results.readyWait = await Promise.race([ready.value, workerFailed]);

    // The worker may not be parked in Atomics.wait yet: notify until it reports one waiter woken.
    const deadline = performance.now() + TIMEOUT_MS;
    let woken = 0;
    while ((woken = Atomics.notify(cells, WAKE, 1)) === 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    results.notifyWoke = woken;

    const done = Atomics.waitAsync(cells, STATE, STATE_READY, TIMEOUT_MS);
    results.doneWait = await Promise.race([done.value, workerFailed]);
    results.workerWaitResult = WAIT_RESULTS[Atomics.load(cells, WAIT_RESULT)];
  } finally {
    worker.terminate();
  }
  return results;
}

run().then(
  (results) => { window.__weftTest = { ok: true, results }; },
  (error) => { window.__weftTest = { ok: false, error: String(error?.stack ?? error) }; },
);
