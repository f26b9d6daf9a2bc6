/**
 * Recognises which toolchain made a module from its import names, so that an error can say
 * which runtime it needs instead of listing every import.
 */

/** A toolchain whose modules need imports that only its own runtime (or another weft API) provides. */
export type ModuleProducerName = 'wasm-bindgen' | 'node-api' | 'emscripten' | 'wasi';

/** A recognised producer and what to do with its module. */
export interface ModuleProducer {
  readonly name: ModuleProducerName;
  /** A clause that names the producer and the route to take, e.g. "this is a WASI program: use runWasi". */
  readonly advice: string;
}

const ADVICE: Readonly<Record<ModuleProducerName, string>> = {
  'wasm-bindgen':
    "this is wasm-bindgen output: use createBindgenPool from 'weft/wasm-bindgen' with its glue (pkg/<crate>.js), which provides these imports",
  'node-api':
    'this is a Node-API module (emnapi / napi-rs): not supported, weft does not provide Node-API; ' +
    "load it with the loader its package ships (napi-rs: @napi-rs/wasm-runtime; emnapi: @emnapi/core with @emnapi/runtime)",
  emscripten:
    "this is Emscripten output: run it with its own JS glue (the .js file emcc wrote beside it); weft does not run Emscripten pthreads or provide Emscripten's env imports",
  wasi: 'this is a WASI program: use runWasi, which provides these imports',
};

const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi']);
const NODE_API_MODULES = new Set(['napi', 'emnapi']);
// Why: only names Emscripten's own library defines; minified builds (module "a", names "a", "b")
// and generic names like invoke_* say too little to be sure, and are left unrecognised.
const EMSCRIPTEN_PREFIXES = ['emscripten_', '_emscripten_', '__emscripten_', '__pthread_'];

/** The producer the imports betray, or undefined when they do not say clearly. */
export function recognizeProducer(imports: readonly WebAssembly.ModuleImportDescriptor[]): ModuleProducer | undefined {
  const name = producerName(imports);
  return name === undefined ? undefined : { name, advice: ADVICE[name] };
}

function producerName(imports: readonly WebAssembly.ModuleImportDescriptor[]): ModuleProducerName | undefined {
  if (imports.some((i) => i.module === 'wbg' || i.name.startsWith('__wbindgen_') || i.name.startsWith('__wbg_'))) return 'wasm-bindgen';
  if (imports.some((i) => NODE_API_MODULES.has(i.module) || i.name.startsWith('napi_') || i.name.startsWith('emnapi_'))) return 'node-api';
  if (imports.some((i) => i.module === 'env' && EMSCRIPTEN_PREFIXES.some((prefix) => i.name.startsWith(prefix)))) return 'emscripten';
  const functions = imports.filter((i) => i.kind !== 'memory');
  if (functions.length > 0 && functions.every((i) => WASI_MODULES.has(i.module))) return 'wasi';
  return undefined;
}

const LISTED_IMPORTS = 5;

/** "env.a (function), env.b (global) and 12 more": the first few imports, for an error message. */
export function listImports(imports: readonly WebAssembly.ModuleImportDescriptor[]): string {
  const listed = imports.slice(0, LISTED_IMPORTS).map((i) => `${i.module}.${i.name} (${i.kind})`).join(', ');
  const rest = imports.length - LISTED_IMPORTS;
  return rest > 0 ? `${listed} and ${rest} more` : listed;
}
