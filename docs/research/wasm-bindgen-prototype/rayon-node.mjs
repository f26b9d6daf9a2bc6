// Drop-in replacement for wasm-bindgen-rayon's snippets/wasm-bindgen-rayon-<hash>/src/workerHelpers.js,
// for Node worker_threads. The glue's URL arrives in this module's own URL (?glue=...), put there
// by the resolve hook (hooks.mjs), which sees the glue as the importing parent.
import { Worker } from 'node:worker_threads';

const glueUrl = new URL(import.meta.url).searchParams.get('glue');
/** Live workers of this glue instance (also keeps them from being collected). */
export const workers = [];
export const threadMemory = []; // { tlsBase, stackAlloc } per worker, for __wbindgen_thread_destroy

export async function startWorkers(module, memory, builder) {
  const n = builder.numThreads();
  if (n === 0) throw new Error('num_threads must be > 0.');
  if (!glueUrl) throw new Error('rayon-node.mjs was loaded without ?glue=<url of the wasm-bindgen glue>');
  const init = { glueUrl, module, memory, receiver: builder.receiver() };
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./rayon-worker.mjs', import.meta.url), { name: 'rayon' });
    worker.once('error', reject);
    worker.once('message', (msg) => {
      if (msg.type !== 'ready') return reject(new Error(msg.error));
      worker.unref(); // idle rayon threads must not keep the process alive
      workers.push(worker); threadMemory.push(msg.threadMemory);
      resolve();
    });
    worker.postMessage(init);
  })));
  if (process.env.DEBUG) console.error("[rayon-node] all workers ready; build()");
  if (process.env.DEBUG) console.error("[rayon-node] all workers ready; build()");
  builder.build();
  if (process.env.DEBUG) console.error("[rayon-node] build() returned");
  if (process.env.DEBUG) console.error("[rayon-node] build() returned");
}

/** Ends the workers; frees each thread's stack and TLS through the host's own glue instance. */
export async function terminateWorkers(wasmExports) {
  await Promise.all(workers.map((w) => w.terminate()));
  for (const m of threadMemory) if (m && wasmExports?.__wbindgen_thread_destroy) wasmExports.__wbindgen_thread_destroy(m.tlsBase, m.stackAlloc);
  workers.length = 0; threadMemory.length = 0;
}
