import { InvalidArgumentError, InvalidOptionError } from '../errors/catalogue.js';
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

/**
 * Loads, compiles and checks the module, creates its memory and opens its WASI state over
 * `preopens` (opened beforehand with {@link openPreopens}).
 */
export async function prepareProgram(
  platform: Platform,
  source: ModuleSource,
  options: RunWasiOptions,
  resolved: ResolvedRunWasiOptions,
  defaults: WasiPlatformDefaults,
  preopens: Record<string, WasiDirectory>,
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
    preopens,
    stdin: options.stdin ?? '',
    stdout: options.stdout ?? defaults.stdout,
    stderr: options.stderr ?? defaults.stderr,
    terminal: options.terminal ?? {},
  });
  return { module, memory, info, host };
}

/**
 * The preopens as directories, host paths opened now: called before anything starts, so that a
 * path that is missing or not a directory is an InvalidOptionError rather than a failure later.
 * Their shape was checked with the other options.
 */
export function openPreopens(preopens: Readonly<Record<string, WasiDirectory | string>>, defaults: WasiPlatformDefaults): Record<string, WasiDirectory> {
  const opened: Record<string, WasiDirectory> = {};
  for (const [guestPath, directory] of Object.entries(preopens)) {
    opened[guestPath] = typeof directory === 'string' ? openHostDirectory(guestPath, directory, defaults) : directory;
  }
  return opened;
}

function openHostDirectory(guestPath: string, hostPath: string, defaults: WasiPlatformDefaults): WasiDirectory {
  try {
    return defaults.openHostDirectory(hostPath);
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error;
    throw new InvalidOptionError('preopens', `"preopens" entry "${guestPath}": the host path "${hostPath}" ${whyNotADirectory(error)}; pass an existing directory.`);
  }
}

/**
 * Why opening a host directory failed, from node:fs's error code: NodeDirectory's
 * InvalidArgumentError keeps node:fs's error as its cause, and has none for a path that is a file.
 */
function whyNotADirectory(error: unknown): string {
  const fsError = error instanceof InvalidArgumentError ? error.cause : error;
  const code = (fsError as { code?: unknown } | null | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR' || fsError === undefined) return 'is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a loop of symbolic links';
  return `cannot be opened (${fsError instanceof Error ? fsError.message : String(fsError)})`;
}
