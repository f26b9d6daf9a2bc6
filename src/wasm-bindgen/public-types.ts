export {
  BindgenPool,
  type GlueArguments,
  type GlueClassName,
  type GlueConstructorArguments,
  type GlueExportName,
  type GlueInstance,
  type GlueResult,
  type GlueStaticArguments,
  type GlueStaticName,
  type GlueStaticResult,
  type UntypedGlue,
} from './bindgen-pool.js';
export type { GlueObject, Remote, RemoteArgument, RemoteArguments, RemoteHandle, RemoteMember, RemoteResult } from './remote-object.js';
export type { BindgenPoolOptions } from './options.js';
export type { GlueNamespace } from '../producers/wasm-bindgen-glue.js';
export type { GlueInitForm } from '../protocol/bindgen-messages.js';
export { transfer } from './transfer.js';
