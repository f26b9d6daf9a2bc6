// Raw peer for the 1 MiB rows of the fast-call table: what any way of handing bytes to another
// thread's shared wasm memory costs, with no weft in between. workerData.mode:
//  'shared'  — the caller wrote the bytes into `sab` from `payloadOffset`; [0] of its Int32Array
//              is a request counter, [1] the answer counter. The worker copies the bytes into
//              wasm memory (the second copy of any shared-memory route) and answers through [1].
//  'message' — the bytes come by postMessage (structured clone); the worker copies them into
//              wasm memory and answers by message (the caller terminates it).
import { parentPort, workerData } from 'node:worker_threads';

const { mode, sab, payloadOffset, bytes } = workerData;
const memory = new WebAssembly.Memory({ initial: Math.ceil((bytes + 65536) / 65536), maximum: 65536, shared: true });
const wasmBytes = new Uint8Array(memory.buffer);

if (mode === 'message') {
  parentPort.on('message', (data) => {
    wasmBytes.set(data, 4096);
    parentPort.postMessage(data.length);
  });
  parentPort.postMessage('ready');
} else {
  const i32 = new Int32Array(sab);
  const payload = new Uint8Array(sab, payloadOffset, bytes);
  parentPort.postMessage('ready');
  let seen = 0;
  for (;;) {
    while (Atomics.load(i32, 0) === seen) Atomics.wait(i32, 0, seen);
    const request = Atomics.load(i32, 0);
    if (request < 0) break;
    seen = request;
    wasmBytes.set(payload, 4096);
    Atomics.store(i32, 1, request);
    Atomics.notify(i32, 1);
  }
  parentPort.close();
}
