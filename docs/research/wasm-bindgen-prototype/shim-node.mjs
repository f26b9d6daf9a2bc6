// No loader hook: node shim-node.mjs [threads]. The original snippet is loaded; Worker is shimmed.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { initThreadPoolWithShim } from './worker-shim.mjs';
const codec = new URL('../node_modules/@jsquash/oxipng/codec/', import.meta.url);
const glueUrl = new URL('pkg-parallel/squoosh_oxipng.js', codec).href;
const glue = await import(glueUrl);
await glue.default(readFileSync(new URL('pkg-parallel/squoosh_oxipng_bg.wasm', codec)));
const startThread = ({ module, memory, receiver }, onReady, onError) => {
  const w = new Worker(new URL('./rayon-worker.mjs', import.meta.url));
  w.once('message', (m) => { if (m.type === 'ready') { w.unref(); onReady(); } else onError(new Error(m.error)); });
  w.postMessage({ glueUrl, module, memory, receiver });
  return w;
};
const threads = Number(process.argv[2] || 2);
const { ready, handles } = initThreadPoolWithShim(glue, threads, startThread);
await ready;
console.log('pool ready, Worker restored to', typeof globalThis.Worker);
for (const n of ['gradient-256-rgb', 'shapes-512-rgba', 'noisy-800-rgb']) for (const l of [2, 4]) {
  const out = glue.optimise(readFileSync(`${n}.png`), l, false, false);
  console.log(n, l, Buffer.compare(Buffer.from(out), readFileSync(`${n}.L${l}.ref.png`)) === 0 ? 'identical' : 'DIFFERENT');
}
await Promise.all(handles.map((w) => w.terminate()));
