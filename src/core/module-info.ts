import { MemoryImportError, ThreadSymbolsError, UnsupportedImportError } from '../errors/catalogue.js';
import type { MemoryImportName } from '../protocol/messages.js';
import { type FunctionSignature, readExportSignatures } from './export-signatures.js';
import { listImports, recognizeProducer } from './module-producer.js';
import { countDefinedMemories, type MemoryImportInfo, type MemoryLimits, readGlobalNames, readMemoryImports } from './wasm-binary.js';

/** What the pool must know about a module before starting threads on it. */
export interface ModuleInfo {
  /** The memory import; its limits are unknown only for a compiled Module given with a `memory`. */
  readonly memoryImport: MemoryImportInfo | MemoryImportName;
  /** Names of function exports, in export order: a task names its export by index in this list. */
  readonly functionExports: readonly string[];
  /** Every export's kind, for errors that say "is a global, not a function". */
  readonly exportKinds: ReadonlyMap<string, WebAssembly.ImportExportKind>;
  /** clang-built module that exports its stack pointer: each thread needs its own stack region. */
  readonly needsThreadRegions: boolean;
  /** Each function export's parameter and result types, when the binary was at hand and readable. */
  readonly signatures: ReadonlyMap<string, FunctionSignature> | undefined;
}

const STACK_POINTER = '__stack_pointer';
const INIT_TLS = '__wasm_init_tls';
const TLS_BASE = '__tls_base';
export const THREAD_SYMBOL_LINK_FLAGS =
  '-Wl,--export=__stack_pointer,--export=__wasm_init_tls,--export=__tls_size,--export=__tls_align';

/**
 * Reads and checks a module for running on several threads over one imported shared memory.
 * Throws typed errors that say how to rebuild the module when it cannot be.
 */
export function inspectModule(module: WebAssembly.Module, bytes: Uint8Array | undefined, memoryGiven: boolean): ModuleInfo {
  const imports = WebAssembly.Module.imports(module);
  const exports = WebAssembly.Module.exports(module);
  const exportKinds = new Map(exports.map((e) => [e.name, e.kind] as const));
  const others = imports.filter((i) => i.kind !== 'memory');
  // Why: before the memory checks, since a module made for another runtime (a plain wasip1
  // program with its own memory, say) needs that runtime, not a rebuilt memory.
  const producer = recognizeProducer(imports);
  if (others.length > 0 && producer !== undefined) {
    throw new UnsupportedImportError(`createPool cannot run this module, which imports ${listImports(others)}: ${producer.advice}.`);
  }
  const memoryImport = findMemoryImport(bytes, imports, exports, memoryGiven);
  // Why: with multi-memory (on by default from Node 22), a module may import the shared memory
  // and define another; each thread would get a private copy of the second one.
  const definedMemories = bytes === undefined ? 0 : countDefinedMemories(bytes);
  if (definedMemories > 0) {
    throw new MemoryImportError(
      `The module imports the shared memory ${memoryImport.module}.${memoryImport.name} but also defines ${definedMemories === 1 ? 'a memory' : `${definedMemories} memories`} of its own, which each thread would get a private copy of. ` +
        'Keep all data in the one imported shared memory.',
    );
  }
  if (others.length > 0) {
    throw new UnsupportedImportError(
      `The module imports ${listImports(others)}, but a weft pool provides only its shared memory. ` +
        'Build the module without these imports, or run it with the weft API for its kind (wasi-threads or wasm-bindgen) that provides them.',
    );
  }

  const globalNames = globalNamesOf(module);
  const exportsStackPointer = exportKinds.get(STACK_POINTER) === 'global';
  const usesStack = exportsStackPointer || globalNames.has(STACK_POINTER);
  if (usesStack && !exportsStackPointer) {
    throw new ThreadSymbolsError(
      `The module keeps a shadow stack in the global ${STACK_POINTER} but does not export it, so weft cannot give each thread its own stack and threads would corrupt each other's. ` +
        `Link with ${THREAD_SYMBOL_LINK_FLAGS}.`,
    );
  }
  if (exportsStackPointer && globalNames.has(TLS_BASE) && exportKinds.get(INIT_TLS) !== 'function') {
    throw new ThreadSymbolsError(
      `The module has thread-local storage (${TLS_BASE}) but does not export ${INIT_TLS}, so weft cannot give each thread its own TLS block. ` +
        `Link with ${THREAD_SYMBOL_LINK_FLAGS}.`,
    );
  }

  return {
    memoryImport,
    functionExports: exports.filter((e) => e.kind === 'function').map((e) => e.name),
    exportKinds,
    needsThreadRegions: exportsStackPointer,
    signatures: bytes === undefined ? undefined : readExportSignatures(bytes),
  };
}

/** The module's one shared memory import, checked; throws MemoryImportError saying how to rebuild otherwise. */
export function findMemoryImport(
  bytes: Uint8Array | undefined,
  imports: WebAssembly.ModuleImportDescriptor[],
  exports: WebAssembly.ModuleExportDescriptor[],
  memoryGiven: boolean,
): MemoryImportInfo | MemoryImportName {
  const memoryImports = imports.filter((i) => i.kind === 'memory');
  if (memoryImports.length === 0) {
    const own = exports.some((e) => e.kind === 'memory') ? 'defines its own memory' : 'has no memory';
    throw new MemoryImportError(
      `The module ${own}, so each thread would get a separate memory. Threads share memory only through an import: ` +
        'link with --import-memory --shared-memory --max-memory=N (clang: -Wl,...), or declare (import "env" "memory" (memory MIN MAX shared)).',
    );
  }
  if (memoryImports.length > 1) {
    throw new MemoryImportError(`The module imports ${memoryImports.length} memories; weft shares exactly one.`);
  }
  const descriptor = memoryImports[0]!;
  const limits = bytes !== undefined ? readMemoryImports(bytes)[0] : reflectedLimits(descriptor);
  if (limits === undefined) {
    // Why: the engine checks a given memory against the import when each thread instantiates.
    if (memoryGiven) return { module: descriptor.module, name: descriptor.name };
    throw new MemoryImportError(
      `A compiled WebAssembly.Module does not reveal the limits of its memory import ${descriptor.module}.${descriptor.name} in this engine. ` +
        'Pass the module as a URL or bytes, or pass `memory` (a shared WebAssembly.Memory with the import\'s limits).',
    );
  }
  const info: MemoryImportInfo = { ...limits, module: descriptor.module, name: descriptor.name };
  const where = `${info.module}.${info.name}`;
  if (info.index64) throw new MemoryImportError(`The memory import ${where} is a 64-bit memory; weft supports 32-bit memories.`);
  if (!info.shared) {
    throw new MemoryImportError(
      `The memory import ${where} is not shared, so threads cannot use it together. ` +
        'Build with -matomics -mbulk-memory and link with --shared-memory --max-memory=N, or declare the memory with a maximum and `shared`.',
    );
  }
  if (info.maximum === undefined) {
    throw new MemoryImportError(`The memory import ${where} has no maximum; a shared memory needs one (link with --max-memory=N).`);
  }
  return info;
}

/** True when the import's limits are known (always, unless a compiled Module came with a `memory`). */
export function hasKnownLimits(memoryImport: MemoryImportInfo | MemoryImportName): memoryImport is MemoryImportInfo {
  return 'initial' in memoryImport;
}

/** Limits from the JS type-reflection proposal, where an engine has it. */
function reflectedLimits(descriptor: WebAssembly.ModuleImportDescriptor): MemoryLimits | undefined {
  const type = (descriptor as { type?: { minimum?: number; maximum?: number; shared?: boolean; index?: string } }).type;
  if (type === undefined || typeof type.minimum !== 'number') return undefined;
  return { initial: type.minimum, maximum: type.maximum, shared: type.shared === true, index64: type.index === 'i64' };
}

function globalNamesOf(module: WebAssembly.Module): Set<string> {
  const names = new Set<string>();
  for (const section of WebAssembly.Module.customSections(module, 'name')) {
    try {
      for (const name of readGlobalNames(new Uint8Array(section)).values()) names.add(name);
    } catch {
      // Why: a malformed name section is debug data only; the module itself compiled fine.
    }
  }
  return names;
}
