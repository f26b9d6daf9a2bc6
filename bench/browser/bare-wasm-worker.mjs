// Bare pool-start peer (module worker): instantiates the precompiled module it is sent on the
// shared memory it is sent, then posts 'ready'.
import { bareImports } from '../lib/wasm.mjs';

self.onmessage = async ({ data: { module, memory } }) => {
  try {
    await WebAssembly.instantiate(module, bareImports(module, memory));
    self.postMessage('ready');
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
