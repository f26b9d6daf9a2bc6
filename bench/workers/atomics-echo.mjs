// Raw Atomics peer. Shared Int32Array: [0] request counter (written by main), [1] response
// counter (written here). For each new request value the worker stores it as the response and
// notifies. With `spin > 0` it first polls the request word up to `spin` times (bounded) before
// parking in Atomics.wait. A negative request value stops the loop.
import { parentPort, workerData } from 'node:worker_threads';

const { sab, spin } = workerData;
const i32 = new Int32Array(sab);
parentPort.postMessage('ready');

let seen = 0;
for (;;) {
  let v = Atomics.load(i32, 0);
  for (let k = 0; v === seen && k < spin; k++) v = Atomics.load(i32, 0);
  while (v === seen) {
    Atomics.wait(i32, 0, seen);
    v = Atomics.load(i32, 0);
  }
  if (v < 0) break;
  seen = v;
  Atomics.store(i32, 1, v);
  Atomics.notify(i32, 1);
}
parentPort.close();
