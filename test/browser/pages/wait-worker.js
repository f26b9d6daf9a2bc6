// A module worker that blocks in Atomics.wait until the page wakes it (see isolation.js).
import { STATE, STATE_DONE, STATE_READY, WAIT_RESULT, WAIT_RESULTS, WAKE } from './wait-layout.js';

const WAIT_TIMEOUT_MS = 10_000;

self.onmessage = ({ data: buffer }) => {
  const cells = new Int32Array(buffer);
  Atomics.store(cells, STATE, STATE_READY);
  Atomics.notify(cells, STATE);
  const result = Atomics.wait(cells, WAKE, 0, WAIT_TIMEOUT_MS);
  Atomics.store(cells, WAIT_RESULT, WAIT_RESULTS.indexOf(result));
  Atomics.store(cells, STATE, STATE_DONE);
  Atomics.notify(cells, STATE);
};
