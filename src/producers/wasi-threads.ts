import type { WasiInitMessage } from '../protocol/messages.js';

/** What the imports of a wasi-threads thread call back into (the worker's thread runtime). */
export interface WasiThreadServices {
  /** wasi.thread-spawn: a new thread id, or a negative errno. */
  spawn(startArg: number): number;
  /** A preview1 call forwarded to the program's host; returns the errno. */
  syscall(index: number, args: readonly (number | bigint)[]): number;
  /** proc_exit: ends the program; never returns. */
  exit(code: number): never;
}

const PREVIEW1 = 'wasi_snapshot_preview1';
const ERRNO_SUCCESS = 0;

/**
 * The imports of one instance of a wasi-threads module: the shared memory under its import's
 * names, `wasi.thread-spawn`, and every `wasi_snapshot_preview1` function it imports, each a
 * thin forwarder to the host, where the program's one WASI state lives.
 */
export function createWasiThreadImports(init: WasiInitMessage, services: WasiThreadServices): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const syscallIndex = new Map(init.syscallNames.map((name, index) => [name, index]));
  for (const descriptor of WebAssembly.Module.imports(init.module)) {
    const namespace = (imports[descriptor.module] ??= {});
    if (descriptor.kind === 'memory') {
      namespace[descriptor.name] = init.memory;
    } else if (descriptor.module === 'wasi' && descriptor.name === 'thread-spawn') {
      namespace[descriptor.name] = (startArg: number) => services.spawn(startArg);
    } else if (descriptor.module === PREVIEW1 && descriptor.name === 'proc_exit') {
      namespace[descriptor.name] = (code: number) => services.exit(code);
    } else if (descriptor.module === PREVIEW1 && descriptor.name === 'sched_yield') {
      // Why: every thread has a core of its own (a worker); yielding has nothing to give up.
      namespace[descriptor.name] = () => ERRNO_SUCCESS;
    } else if (descriptor.module === PREVIEW1) {
      const index = syscallIndex.get(descriptor.name);
      if (index === undefined) throw new Error(`weft: no host function for ${PREVIEW1}.${descriptor.name}`);
      namespace[descriptor.name] = (...args: (number | bigint)[]) => services.syscall(index, args);
    }
  }
  return imports;
}
