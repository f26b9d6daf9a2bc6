// The main-thread side of the @emnapi/wasi-threads + @tybys/wasm-util peer (bench/wasi.mjs): runs
// one wasi-threads command the way the @emnapi/wasi-threads README's Node example does, with the
// worker file emnapi-wasi-thread.mjs. Used inside a child process (wasi-child.mjs), because _start
// runs synchronously on the calling thread and may never return.
//
// As in the README: a WASIThreads with `reuseWorker: false` and `waitThreadStart: 1000` (its Node
// settings), onCreateWorker starting a worker_threads Worker on the worker file, a shared memory
// made by the caller, WASIThreads.setup + preloadWorkers, then WASI.start(instance) on this thread.
// The WASI is @tybys/wasm-util's (returnOnExit: true, so proc_exit returns an exit code instead of
// calling process.exit); the README's Node example uses node:wasi there and wasm-util in browsers.
// On Node 20 the bench starts this process with --no-liftoff (see hasLiftoffAtomicsBug in
// bench/wasi.mjs): without it V8's baseline compiler can make a join wait on address 0 for ever.
//
// User-side adaptations (none changes what the module does):
// - the memory is created with the import's own limits (parsed from the binary) and given under
//   the module's own memory import name, not always as env.memory;
// - WASI.start reads the memory from `instance.exports.memory`, and standard wasi-threads
//   modules import their memory without exporting it, so start gets an object whose exports are
//   the instance's plus `memory`; WASIThreads.setup gets the real instance (its exports.malloc and
//   exports.free are what thread-spawn calls: a module without them cannot spawn);
// - stdout / stderr lines go to this process's fd 1 / 2 (fs.writeSync) from every thread;
// - preopened directories (c-files) are host paths through node:fs (wasm-util's `fs` option), on
//   every thread's WASI;
// - after start returns, terminateAllThreads() ends threads still running (the peer only does
//   that itself on proc_exit).
import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import { WASI } from '@tybys/wasm-util';
import { WASIThreads } from '@emnapi/wasi-threads';
import { memoryImportLimits } from '../lib/wasm.mjs';

const threadFile = new URL('./emnapi-wasi-thread.mjs', import.meta.url);

/**
 * Runs the command in `bytes` to completion on this thread. Returns { exitCode }; throws what
 * WASI.start throws (a trap, or an error from the peer such as "malloc is not a function").
 */
export async function runEmnapiWasi(bytes, { args = [], env = {}, programName = 'main.wasm', preopens } = {}) {
  const argv = [programName, ...args];
  const files = preopens && Object.keys(preopens).length ? { preopens, fs } : {};
  const module = await WebAssembly.compile(bytes);
  const wasi = new WASI({
    version: 'preview1',
    args: argv,
    env,
    returnOnExit: true,
    print: (line) => fs.writeSync(1, `${line}\n`),
    printErr: (line) => fs.writeSync(2, `${line}\n`),
    ...files,
  });
  const wasiThreads = new WASIThreads({
    wasi,
    reuseWorker: false,
    waitThreadStart: 1000,
    onCreateWorker: () => new Worker(threadFile, { workerData: { args: argv, env, preopens } }),
  });
  const limits = memoryImportLimits(bytes);
  const memory = limits
    ? new WebAssembly.Memory({ initial: limits.initial, maximum: limits.maximum ?? 65536, shared: limits.shared })
    : undefined;
  const imports = { wasi_snapshot_preview1: wasi.wasiImport, ...wasiThreads.getImportObject() };
  if (limits) (imports[limits.module] ??= {})[limits.name] = memory;
  const instance = await WebAssembly.instantiate(module, imports);
  wasiThreads.setup(instance, module, memory ?? instance.exports.memory);
  await wasiThreads.preloadWorkers();
  try {
    const exitCode = wasi.start(memory ? { exports: { ...instance.exports, memory } } : instance);
    return { exitCode };
  } finally {
    wasiThreads.terminateAllThreads();
  }
}
