// The worker file of the @emnapi/wasi-threads peer (bench/wasi.mjs, started by
// emnapi-wasi.mjs's onCreateWorker): the Node half of the package README's `worker.js`, as an ES
// module. A ThreadMessageHandler receives 'load' (the module and the shared memory), instantiates
// the module with a child-thread WASIThreads and a @tybys/wasm-util WASI of its own, and runs
// wasi_thread_start on 'start'.
//
// Differences from the README, all on the user's side of the API: the memory is given under the
// module's own memory import (found by kind), not always as env.memory; the WASI gets the
// program's args, env and preopens (workerData) and returnOnExit, as on the main thread; stdout
// and stderr lines are written with fs.writeSync to this process's fd 1 and 2, because a
// worker's console.log travels through the main thread's event loop, which _start blocks.
import { parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import { WASI } from '@tybys/wasm-util';
import { ThreadMessageHandler, WASIThreads } from '@emnapi/wasi-threads';

const postMessage = (msg) => parentPort.postMessage(msg);

const handler = new ThreadMessageHandler({
  postMessage,
  async onLoad({ wasmModule, wasmMemory }) {
    const wasi = new WASI({
      version: 'preview1',
      args: workerData.args,
      env: workerData.env,
      returnOnExit: true,
      print: (line) => fs.writeSync(1, `${line}\n`),
      printErr: (line) => fs.writeSync(2, `${line}\n`),
      ...(workerData.preopens && Object.keys(workerData.preopens).length ? { preopens: workerData.preopens, fs } : {}),
    });
    const wasiThreads = new WASIThreads({ wasi, childThread: true, postMessage });
    const imports = { wasi_snapshot_preview1: wasi.wasiImport, ...wasiThreads.getImportObject() };
    const memoryImport = WebAssembly.Module.imports(wasmModule).find((i) => i.kind === 'memory');
    if (memoryImport) (imports[memoryImport.module] ??= {})[memoryImport.name] = wasmMemory;
    const originalInstance = await WebAssembly.instantiate(wasmModule, imports);
    // "must call `initialize` instead of `start` in child thread" (README)
    const instance = wasiThreads.initialize(originalInstance, wasmModule, wasmMemory);
    return { module: wasmModule, instance };
  },
});

parentPort.on('message', (data) => handler.handle({ data }));
