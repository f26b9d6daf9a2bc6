// Browser replacement for wasm-bindgen-rayon's workerHelpers.js. The glue URL comes as ?glue=
// in this module's URL (the import map's target carries it).
const glueUrl = new URL(new URL(import.meta.url).searchParams.get('glue'), import.meta.url).href;
const workers = []; // Why: Firefox collects workers that hold shared memory but no live reference.
export async function startWorkers(module, memory, builder) {
  const n = builder.numThreads();
  if (n === 0) throw new Error('num_threads must be > 0.');
  const init = { glueUrl, module, memory, receiver: builder.receiver() };
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./rayon-browser-worker.mjs', import.meta.url), { type: 'module', name: 'rayon' });
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'rayon worker failed to load')));
    worker.addEventListener('message', ({ data }) => data.type === 'ready' ? resolve() : reject(new Error(data.error)), { once: true });
    worker.postMessage(init);
    workers.push(worker);
  })));
  builder.build();
}
export function terminateWorkers() { for (const w of workers.splice(0)) w.terminate(); }
