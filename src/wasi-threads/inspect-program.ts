import { MissingExportError, UnsupportedImportError } from '../errors/catalogue.js';
import { findMemoryImport } from '../core/module-info.js';
import { listImports, recognizeProducer } from '../core/module-producer.js';
import type { MemoryImportName } from '../protocol/messages.js';
import { WASI_PREVIEW1_SIGNATURES } from '../wasi/signatures.js';
import type { MemoryImportInfo } from '../core/wasm-binary.js';

/** What the host must know about a wasi-threads (or plain WASI) command module. */
export interface WasiProgramInfo {
  readonly memoryImport: MemoryImportInfo | MemoryImportName;
  /** Preview1 functions the host answers, in the order workers number them. */
  readonly syscallNames: readonly string[];
  /** Whether the module imports wasi.thread-spawn. */
  readonly spawnsThreads: boolean;
}

const PREVIEW1 = 'wasi_snapshot_preview1';
/** Handled inside each thread, not by the host. */
const THREAD_LOCAL_CALLS = new Set(['proc_exit', 'sched_yield']);

/** Checks a module is a wasi-threads command weft can run; throws typed errors that say what is missing. */
export function inspectWasiProgram(module: WebAssembly.Module, bytes: Uint8Array | undefined, memoryGiven: boolean): WasiProgramInfo {
  const imports = WebAssembly.Module.imports(module);
  const exports = WebAssembly.Module.exports(module);
  const memoryImport = findMemoryImport(bytes, imports, exports, memoryGiven);
  const unsupported: WebAssembly.ModuleImportDescriptor[] = [];
  const syscallNames: string[] = [];
  let spawnsThreads = false;
  for (const descriptor of imports) {
    if (descriptor.kind === 'memory') continue;
    if (descriptor.kind === 'function' && descriptor.module === 'wasi' && descriptor.name === 'thread-spawn') {
      spawnsThreads = true;
    } else if (descriptor.kind === 'function' && descriptor.module === PREVIEW1 && Object.hasOwn(WASI_PREVIEW1_SIGNATURES, descriptor.name)) {
      if (!THREAD_LOCAL_CALLS.has(descriptor.name)) syscallNames.push(descriptor.name);
    } else {
      unsupported.push(descriptor);
    }
  }
  if (unsupported.length > 0) {
    const producer = recognizeProducer(imports);
    if (producer !== undefined && producer.name !== 'wasi') {
      throw new UnsupportedImportError(`runWasi cannot run this module, which imports ${listImports(unsupported)}: ${producer.advice}.`);
    }
    throw new UnsupportedImportError(
      `The module imports ${listImports(unsupported)}, which are neither WASI preview1 (wasi_snapshot_preview1) nor wasi-threads (wasi.thread-spawn). ` +
        'weft runs WASI commands built for wasm32-wasip1 or wasm32-wasip1-threads.',
    );
  }
  const exportKinds = new Map(exports.map((e) => [e.name, e.kind] as const));
  if (exportKinds.get('_start') !== 'function') {
    throw new MissingExportError('_start', 'The module does not export a function "_start", so it is not a WASI command: build an executable (not a reactor or library).');
  }
  if (spawnsThreads && exportKinds.get('wasi_thread_start') !== 'function') {
    throw new MissingExportError(
      'wasi_thread_start',
      'The module imports wasi.thread-spawn but does not export "wasi_thread_start(tid, start_arg)", where new threads begin: it does not follow the wasi-threads ABI.',
    );
  }
  return { memoryImport, syscallNames, spawnsThreads };
}
