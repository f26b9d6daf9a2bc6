import { InvalidOptionError } from '../errors/catalogue.js';
import { rewriteOwnMemory } from '../core/import-own-memory.js';
import { loadModule, type ModuleSource } from '../core/module-source.js';
import type { Platform } from '../core/platform.js';
import { provideMemory } from '../core/thread-memory.js';
import type { WasiDirectory } from '../wasi/fs/directory.js';
import { WasiHost } from '../wasi/wasi-host.js';
import { usesAtomicWait } from './atomic-waits.js';
import { inspectWasiProgram, type WasiProgramInfo } from './inspect-program.js';
import type { ResolvedRunWasiOptions, RunWasiOptions } from './options.js';

/** Platform-specific defaults for WASI programs. */
export interface WasiPlatformDefaults {
  readonly stdout: (bytes: Uint8Array) => void;
  readonly stderr: (bytes: Uint8Array) => void;
  /** Turns a host path given as a preopen into a directory (Node); throws where there are none. */
  openHostDirectory(hostPath: string): WasiDirectory;
}

/** What a program needs before any of its threads can run. */
export interface PreparedProgram {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly info: WasiProgramInfo;
  /** The program's one WASI state, which answers every thread's system calls. */
  readonly host: WasiHost;
}

/** Loads, compiles and checks the module, creates its memory and opens its WASI state. */
export async function prepareProgram(
  platform: Platform,
  defaults: WasiPlatformDefaults,
  source: ModuleSource,
  options: RunWasiOptions,
  resolved: ResolvedRunWasiOptions,
): Promise<PreparedProgram> {
  // Why: a plain wasm32-wasip1 program defines its own memory; it gets the same memory as a
  // shared import, so the host can answer its system calls from another thread. Bytes weft
  // loaded itself are rewritten in place, so the cost does not grow with the code and data.
  const { module, bytes } = await loadModule(source, platform, (loaded, owned) => rewriteOwnMemory(loaded, { inPlace: owned }));
  const info = inspectWasiProgram(module, bytes, options.memory !== undefined);
  // Why: Node 20's Liftoff bug is in wasm code around memory.atomic.wait32/64. A module without
  // those instructions cannot meet it, and without Liftoff V8 compiles every function it runs
  // with TurboFan, which costs a short program more than it saves. The flag still holds for this
  // module, compiled a moment ago, because V8 compiles wasm functions when they first run. A
  // compiled Module from the caller cannot be read: assume it waits.
  if (bytes === undefined || usesAtomicWait(bytes)) platform.prepareEngine({ nodeLiftoffWorkaround: resolved.nodeLiftoffWorkaround });
  const memory = provideMemory(info.memoryImport, options.memory);
  const host = new WasiHost({
    args: [options.programName ?? 'main.wasm', ...(options.args ?? [])],
    env: options.env ?? {},
    preopens: openPreopens(options.preopens ?? {}, defaults),
    stdin: options.stdin ?? '',
    stdout: options.stdout ?? defaults.stdout,
    stderr: options.stderr ?? defaults.stderr,
    terminal: options.terminal ?? {},
  });
  return { module, memory, info, host };
}

function openPreopens(preopens: Readonly<Record<string, WasiDirectory | string>>, defaults: WasiPlatformDefaults): Record<string, WasiDirectory> {
  const opened: Record<string, WasiDirectory> = {};
  for (const [guestPath, directory] of Object.entries(preopens)) {
    if (typeof directory === 'string') opened[guestPath] = defaults.openHostDirectory(directory);
    else if (typeof directory === 'object' && directory !== null) opened[guestPath] = directory;
    else throw new InvalidOptionError('preopens', `The preopen "${guestPath}" must be a directory (MemoryDirectory, NodeDirectory) or, in Node, a host path.`);
  }
  return opened;
}
