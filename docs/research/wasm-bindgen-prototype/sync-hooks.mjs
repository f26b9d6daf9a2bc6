// Node >= 22.15 / 23.5: in-thread synchronous hooks (no hooks thread). Per thread: a worker
// that calls initThreadPool must register them itself.
import { registerHooks } from 'node:module';
const SNIPPET = /(^|\/)snippets\/wasm-bindgen-rayon-[0-9a-f]+\/src\/workerHelpers\.js$/;
const REPLACEMENT = new URL('./rayon-node.mjs', import.meta.url).href;
registerHooks({
  resolve(specifier, context, next) {
    if (SNIPPET.test(specifier) && context.parentURL)
      return { url: `${REPLACEMENT}?glue=${encodeURIComponent(context.parentURL)}`, shortCircuit: true };
    return next(specifier, context);
  },
});
