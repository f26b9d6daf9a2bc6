// Alternative to swapping the snippet: while glue.initThreadPool(n) runs (the shipped
// startWorkers creates every Worker synchronously inside that call), globalThis.Worker is a
// shim that starts our own thread instead of the snippet's worker file. Works with the
// wasm-bindgen-rayon 1.0 message shape {module, memory, receiver} (ready = any message) and the
// 1.2+ shape {type:'wasm_bindgen_worker_init', init:{module_or_path, memory}, receiver}
// (ready = {type:'wasm_bindgen_worker_ready'}).
export function initThreadPoolWithShim(glue, threads, startThread /* (init, onReady, onError) => handle{terminate} */) {
  const handles = [];
  class RayonWorkerShim {
    #listeners = new Map();
    #handle;
    constructor() {}
    postMessage(msg) {
      const init = { module: msg.module ?? msg.init?.module_or_path, memory: msg.memory ?? msg.init?.memory, receiver: msg.receiver };
      // Why: start the real thread after the shim window closes, so that startThread can use
      // the literal `new Worker(new URL(...), ...)` form that bundlers recognise.
      queueMicrotask(() => {
        this.#handle = startThread(init, () => this.#emit({ type: 'wasm_bindgen_worker_ready' }), (e) => this.#fail(e));
        handles.push(this.#handle);
      });
    }
    #fail(e) { console.error('rayon thread failed to start:', e); } // real code: reject initThreadPool's caller
    #emit(data) { for (const f of [...this.#listeners.values()]) f({ data }); }
    addEventListener(type, listener, options) {
      if (type !== 'message') return;
      const f = options?.once ? (e) => { this.#listeners.delete(listener); listener(e); } : listener;
      this.#listeners.set(listener, f);
    }
    removeEventListener(type, listener) { this.#listeners.delete(listener); }
    terminate() { this.#handle?.terminate(); }
  }
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  Object.defineProperty(globalThis, 'Worker', { value: RayonWorkerShim, configurable: true, writable: true });
  try {
    return { ready: glue.initThreadPool(threads), handles };
  } finally {
    if (saved) Object.defineProperty(globalThis, 'Worker', saved); else delete globalThis.Worker;
  }
}
