import { compare } from './images.mjs';
import { initThreadPoolWithShim } from '../worker-shim.mjs';
const pkg = '/node_modules/@jsquash/oxipng/codec/';
self.onmessage = async ({ data: { threads } }) => {
  try {
    if (threads === 0) {
      const st = await import(pkg + 'pkg/squoosh_oxipng.js'); await st.default();
      return postMessage(await compare((png, l) => st.optimise(png, l, false, false)));
    }
    const glueUrl = new URL(pkg + 'pkg-parallel/squoosh_oxipng.js', location.href).href;
    const glue = await import(glueUrl);
    await glue.default();   // fetches squoosh_oxipng_bg.wasm next to the glue
    const t = performance.now();
    const { ready } = initThreadPoolWithShim(glue, threads, (init, onReady, onError) => {
      const worker = new Worker(new URL('./rayon-browser-worker.mjs', import.meta.url), { type: 'module', name: 'rayon' });
      worker.addEventListener('message', ({ data }) => data.type === 'ready' ? onReady() : onError(new Error(data.error)), { once: true });
      worker.postMessage({ glueUrl, ...init });
      return worker;
    });
    await ready;
    postMessage([`pool start ${Math.round(performance.now() - t)} ms`, ...await compare((png, l) => glue.optimise(png, l, false, false))]);
  } catch (e) { postMessage({ error: String(e?.stack || e) }); }
};
