// A rayon thread without the glue's JS: instantiate the module with generic imports.
// Only the shared memory and __wbindgen_throw are real; any other wasm-bindgen import fails loudly.
import { parentPort } from 'node:worker_threads';
import { writeSync } from 'node:fs';
parentPort.once('message', ({ module, memory, receiver }) => {
  try {
    const called = [];
    const imports = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      const ns = (imports[imp.module] ??= {});
      if (imp.kind === 'memory') ns[imp.name] = memory;
      else if (imp.kind === 'function' && imp.name === '__wbindgen_throw')
        ns[imp.name] = (ptr, len) => { throw new Error(new TextDecoder().decode(new Uint8Array(memory.buffer).slice(ptr, ptr + len))); };
      else if (imp.kind === 'function')
        ns[imp.name] = (...a) => { writeSync(2, '[headless] stub called ' + imp.name + '\n'); throw new Error(`wasm-bindgen import ${imp.name} is not available on a headless rayon thread`); };
    }
    const instance = new WebAssembly.Instance(module, imports);
    instance.exports.__wbindgen_start();   // per-thread stack + TLS (what the glue's finalize step does)
    const e = instance.exports; console.error('[headless] instantiated+started');
    parentPort.postMessage({ type: 'ready', threadMemory: { tlsBase: e.__tls_base.value, stackAlloc: e.__stack_alloc.value } });
    e.wbg_rayon_start_worker(receiver);
  } catch (err) { writeSync(2, '[headless] failed: ' + (err?.stack || err) + '\n'); parentPort.postMessage({ type: 'failed', error: String(err?.stack || err) }); }
});
