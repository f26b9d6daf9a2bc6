import { ThreadSymbolsError } from '../errors/catalogue.js';
import type { InitMessage, ThreadRegion } from '../protocol/messages.js';

/** A module instantiated on one thread, ready to run exports. */
export interface ThreadInstance {
  readonly exports: WebAssembly.Exports;
  /** Restores per-thread state that a trap leaves mid-call (the shadow stack pointer). */
  resetAfterFailure(): void;
}

/** Room a thread's stack must keep above its TLS block, in bytes. */
const MIN_STACK_BYTES = 4096;

/**
 * Instantiates a raw shared-memory module on this thread: the memory under its import's own
 * names, and, for clang-built modules, a private shadow stack and TLS block in `region`.
 */
export async function instantiateRawModule(init: InitMessage): Promise<ThreadInstance> {
  const imports: WebAssembly.Imports = { [init.memoryImport.module]: { [init.memoryImport.name]: init.memory } };
  // Why: with wasm-ld's --shared-memory the start function (__wasm_init_memory) lets the first
  // instance initialize memory and makes the others wait for it in memory.atomic.wait32; that
  // is fine here because every instance lives in a worker, never on the browser main thread.
  const instance = await WebAssembly.instantiate(init.module, imports);
  const exports = instance.exports;
  const stackTop = init.region === null ? undefined : setUpThreadRegion(exports, init.region);
  const stackPointer = exports['__stack_pointer'] as WebAssembly.Global | undefined;
  return {
    exports,
    resetAfterFailure() {
      if (stackTop !== undefined && stackPointer !== undefined) stackPointer.value = stackTop;
    },
  };
}

/** Points the thread's stack and TLS at its own region; returns the stack top. */
function setUpThreadRegion(exports: WebAssembly.Exports, region: ThreadRegion): number {
  const stackPointer = exports['__stack_pointer'];
  if (!(stackPointer instanceof WebAssembly.Global)) {
    throw new ThreadSymbolsError('The module does not export __stack_pointer as a global.');
  }
  const tlsSize = globalValue(exports['__tls_size']);
  const tlsAlign = Math.max(globalValue(exports['__tls_align']), 16);
  let stackBottom = region.base;
  if (tlsSize > 0) {
    const initTls = exports['__wasm_init_tls'];
    if (typeof initTls !== 'function') {
      throw new ThreadSymbolsError('The module has thread-local storage but does not export __wasm_init_tls; link with -Wl,--export=__wasm_init_tls.');
    }
    const tlsBase = Math.ceil(region.base / tlsAlign) * tlsAlign;
    (initTls as (base: number) => void)(tlsBase);
    stackBottom = tlsBase + tlsSize;
  }
  const stackTop = region.base + region.size - (region.size % 16);
  if (stackTop - stackBottom < MIN_STACK_BYTES) {
    throw new ThreadSymbolsError(`The thread region of ${region.size} bytes leaves no room for a stack next to ${tlsSize} bytes of TLS; pass a larger stackSize.`);
  }
  stackPointer.value = stackTop;
  return stackTop;
}

function globalValue(value: unknown): number {
  return value instanceof WebAssembly.Global ? Number(value.value) : 0;
}
