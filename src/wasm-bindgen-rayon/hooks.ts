/**
 * Node.js module hooks (registered by `weft/wasm-bindgen-rayon/register`): wherever a
 * wasm-bindgen glue imports wasm-bindgen-rayon's `workerHelpers.js` snippet, load weft's
 * drop-in instead, with the glue's URL in the query so that weft's threads can load that glue.
 */
const SNIPPET = /(^|\/)snippets\/wasm-bindgen-rayon-[0-9a-f]+\/src\/workerHelpers\.js$/;
const REPLACEMENT = new URL('./node.js', import.meta.url).href;

interface ResolveContext {
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => unknown;

export function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): unknown {
  if (context.parentURL !== undefined && SNIPPET.test(specifier)) {
    // Why: one query per glue also gives each glue its own instance of the helper.
    return { url: `${REPLACEMENT}?glue=${encodeURIComponent(context.parentURL)}`, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
