export { BindgenPool, type GlueArguments, type GlueExportName, type GlueResult, type UntypedGlue } from './bindgen-pool.js';
export type { BindgenPoolOptions } from './options.js';
export type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';
export type { GlueInitForm } from '../protocol/bindgen-messages.js';
