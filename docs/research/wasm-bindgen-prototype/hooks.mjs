// module.register() resolve hook: any wasm-bindgen-rayon snippet import is redirected to
// rayon-node.mjs, carrying the importing glue's URL in the query.
const SNIPPET = /(^|\/)snippets\/wasm-bindgen-rayon-[0-9a-f]+\/src\/workerHelpers\.js$/;
const REPLACEMENT = new URL('./rayon-node.mjs', import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (SNIPPET.test(specifier) && context.parentURL)
    return { url: `${REPLACEMENT}?glue=${encodeURIComponent(context.parentURL)}`, shortCircuit: true };
  return next(specifier, context);
}
