// The classic three steps of wasm threads, shared by the Node.js and browser versions:
// the same module (wasm/src/hello.c) called on the main thread, on one worker, and on N
// workers over one shared memory.
import { readCString } from '../c-string.mjs';

/** Step 1: no threads at all, one instance on the calling thread. */
export async function helloOnMainThread(wasmBytes) {
  // Why: the module imports a shared memory (it is built for threads); 256 pages is above its
  // minimum and 1024 is the maximum it was linked with (--max-memory=64 MiB).
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 1024, shared: true });
  const { instance } = await WebAssembly.instantiate(wasmBytes, { env: { memory } });
  return readCString(memory, instance.exports.hello(0));
}

/** Step 2: the same export, run on one worker. */
export async function helloOnOneWorker(createPool, module) {
  const pool = await createPool({ module, threads: 1 });
  try {
    return readCString(pool.memory, await pool.run('hello', 0));
  } finally {
    await pool.close();
  }
}

/** Step 3: N workers on one memory; each greets, then all count into one atomic counter. */
export async function helloOnThreads(createPool, module, threads, countsPerThread) {
  const pool = await createPool({ module, threads });
  try {
    const greetings = await Promise.all(
      Array.from({ length: pool.threads }, (_, id) => pool.runOn(id, 'hello', id).then((pointer) => readCString(pool.memory, pointer))),
    );
    await pool.run('counter_reset');
    await pool.broadcast('count', countsPerThread);
    const total = await pool.run('counter_value');
    return { greetings, total, expected: pool.threads * countsPerThread };
  } finally {
    await pool.close();
  }
}
