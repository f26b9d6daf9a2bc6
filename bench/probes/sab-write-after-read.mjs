// Probe (not part of `npm run bench`): what writing 1 MiB into a SharedArrayBuffer costs when
// another thread has read those bytes since the last write, against when it has not. A worker
// waits on a flag; per request it copies the 1 MiB into its own shared wasm memory ('copy') or
// does nothing ('none'). The main thread times only its own write.
//
//   node bench/probes/sab-write-after-read.mjs
//
// Why it exists: it bounds what a shared-memory hand-off of a large argument can gain over
// structured clone on a given machine (bench/RESULTS.md, the 1 MiB rows).
import { Worker } from 'node:worker_threads';

const SIZE = 1 << 20;
const CALLS = 2000;
const WARMUP = 200;

async function run(mode) {
  const source = new Uint8Array(SIZE).fill(7);
  const shared = new Uint8Array(new SharedArrayBuffer(SIZE + 64));
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData: { shared, flag, mode } } = require('node:worker_threads');
     const memory = new WebAssembly.Memory({ initial: 64, maximum: 128, shared: true });
     const target = new Uint8Array(memory.buffer);
     for (;;) {
       Atomics.wait(flag, 0, 0);
       if (Atomics.load(flag, 0) < 0) break;
       if (mode === 'copy') target.set(shared.subarray(8, 8 + ${SIZE}), 4096);
       Atomics.store(flag, 0, 0);
       Atomics.notify(flag, 0);
     }`,
    { eval: true, workerData: { shared, flag, mode } },
  );
  let writeMs = 0;
  for (let i = 0; i < CALLS + WARMUP; i++) {
    const started = performance.now();
    shared.set(source, 8);
    if (i >= WARMUP) writeMs += performance.now() - started;
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    Atomics.wait(flag, 0, 1);
  }
  Atomics.store(flag, 0, -1);
  Atomics.notify(flag, 0);
  await worker.terminate();
  return (writeMs / CALLS) * 1000;
}

for (const mode of ['none', 'copy', 'none', 'copy']) {
  console.log(`worker ${mode === 'copy' ? 'reads the bytes' : 'does not read them'}: ${(await run(mode)).toFixed(1)} µs per 1 MiB write`);
}
