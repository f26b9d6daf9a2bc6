import { parentPort } from 'node:worker_threads';

// Positional init(module, memory) for glue before wasm-bindgen 0.2.93; the object form after it
// (positional still works there, with a console.warn).
function initArgs(init, module, memory) {
  const src = Function.prototype.toString.call(init);
  return /module_or_path|deprecated parameters/.test(src) ? [{ module_or_path: module, memory }] : [module, memory];
}

parentPort.once('message', async ({ glueUrl, module, memory, receiver }) => {
  try {
    const glue = await import(glueUrl);
    const wasm = await glue.default(...initArgs(glue.default, module, memory));
    const threadMemory = wasm.__tls_base && wasm.__stack_alloc
      ? { tlsBase: wasm.__tls_base.value, stackAlloc: wasm.__stack_alloc.value } : null;
    if (process.env.DEBUG) console.error('[rayon-worker] initialized', threadMemory);
    parentPort.postMessage({ type: 'ready', threadMemory });
    glue.wbg_rayon_start_worker(receiver); // never returns: the rayon worker loop
  } catch (e) {
    parentPort.postMessage({ type: 'failed', error: String(e && e.stack || e) });
  }
});
