import { describeValue, resolveStartOptions } from '../core/option-checks.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import type { WakeMode } from '../protocol/messages.js';
import type { WasiDirectory } from '../wasi/fs/directory.js';
import type { StdioTerminals, WasiInput } from '../wasi/wasi-host.js';
import { checkProgramOptions } from '../wasi/wasi-options.js';

/** Options of `runWasi`. */
export interface RunWasiOptions {
  /** argv, without the program name (it is added as argv[0]). */
  readonly args?: readonly string[];
  /** The program name passed as argv[0]; default "main.wasm". */
  readonly programName?: string;
  /** Environment variables the program sees; default none. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Directories the program may use, by guest path: a `WasiDirectory` (e.g. `MemoryDirectory`),
   * or in Node a host path (an existing directory). The program may hold at most 1,024 fds open
   * at once, stdio and preopens included; past that `path_open` answers `EMFILE`.
   */
  readonly preopens?: Readonly<Record<string, WasiDirectory | string>>;
  /** Standard input: text, bytes, an async iterable or a ReadableStream; default empty. */
  readonly stdin?: WasiInput;
  /** Receives standard output; default: process.stdout in Node, console.log in browsers. */
  readonly stdout?: (bytes: Uint8Array) => void;
  /** Receives standard error; default: process.stderr in Node, console.error in browsers. */
  readonly stderr?: (bytes: Uint8Array) => void;
  /**
   * Which of stdin, stdout and stderr the program should see as terminals (`isatty()`), which
   * makes its C library line-buffer stdout; the others report as pipes do. Default: none. `weft
   * run` passes what `isTTY` says of its own streams.
   */
  readonly terminal?: StdioTerminals;
  /** Most threads the program may have alive besides its main thread; spawn fails past it. Default 64. */
  readonly maxThreads?: number;
  /**
   * Workers started before `_start` runs, for a program that imports `wasi.thread-spawn`; default 1,
   * the main thread's. More start on demand: a spawn that finds no idle worker queues its thread
   * (the spawn returns at once) and the host starts a worker for it, which takes a few tens of
   * milliseconds in Node. Pass more (e.g. the number of threads the program spawns at start) when
   * those threads must begin without that delay. A program without `thread-spawn` always uses one.
   */
  readonly threads?: number;
  /** The shared memory; default: created from the module's memory import. */
  readonly memory?: WebAssembly.Memory;
  /** Milliseconds to wait for started workers to be ready (before `_start`, and for spawns); default 60,000. */
  readonly startTimeout?: number;
  /** How the caller learns of system calls and queued spawns; as for `createPool`. */
  readonly wake?: WakeMode;
  /** Node.js 20 only: turn off V8's Liftoff (see `createPool`). Default true. */
  readonly nodeLiftoffWorkaround?: boolean;
}

/** The largest `maxThreads`. */
const MAX_THREADS = 10_000;

type UncheckedOptions = Partial<Record<keyof RunWasiOptions, unknown>>;

/** A string a C program can take whole: a NUL byte would end it early. */
function isCString(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\0');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name a C program can take whole as argv[0]. */
function checkProgramName(programName: unknown): void {
  if (programName !== undefined && !isCString(programName)) {
    throw new InvalidOptionError('programName', `"programName" must be a string without NUL characters, got ${describeValue(programName)}.`);
  }
}

/** The shape of `preopens`; whether a host path is a directory is checked when it is opened. */
function checkPreopens(preopens: unknown): void {
  if (preopens === undefined) return;
  if (!isPlainObject(preopens)) {
    throw new InvalidOptionError('preopens', `"preopens" must be an object of guest paths to directories, like { '/data': new MemoryDirectory() }, got ${describeValue(preopens)}.`);
  }
  for (const [guestPath, directory] of Object.entries(preopens)) {
    if (guestPath === '' || !isCString(guestPath)) throw new InvalidOptionError('preopens', `"preopens" guest paths must be non-empty, without NUL characters, got ${describeValue(guestPath)}.`);
    if (!isWasiDirectory(directory) && !(isCString(directory) && directory !== '')) {
      throw new InvalidOptionError('preopens', `"preopens" entry "${guestPath}" must be a directory (MemoryDirectory, NodeDirectory) or, in Node, a host path, got ${describeValue(directory)}.`);
    }
  }
}

/** Whether `value` has the members of a `WasiDirectory` that a wrong value would lack. */
function isWasiDirectory(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; lookup?: unknown };
  return candidate.kind === 'directory' && typeof candidate.lookup === 'function';
}

/** How a WASI program ended normally. */
export interface WasiExit {
  /** `_start` returned (0) or the code a thread passed to proc_exit. */
  readonly exitCode: number;
}

export interface ResolvedRunWasiOptions {
  readonly maxThreads: number;
  readonly threads: number;
  readonly startTimeout: number;
  readonly wake: WakeMode | undefined;
  readonly nodeLiftoffWorkaround: boolean;
}

export function resolveRunWasiOptions(options: unknown): ResolvedRunWasiOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'runWasi(module, options) takes an options object.');
  }
  const o = options as UncheckedOptions;
  const maxThreads = o.maxThreads ?? 64;
  if (typeof maxThreads !== 'number' || !Number.isInteger(maxThreads) || maxThreads < 0 || maxThreads > MAX_THREADS) {
    throw new InvalidOptionError('maxThreads', `"maxThreads" must be an integer from 0 to ${MAX_THREADS}, got ${describeValue(o.maxThreads)}.`);
  }
  if (o.threads !== undefined && (typeof o.threads !== 'number' || !Number.isInteger(o.threads) || o.threads < 1 || o.threads > MAX_THREADS + 1)) {
    throw new InvalidOptionError('threads', `"threads" must be an integer from 1 to ${MAX_THREADS + 1} (workers started before _start), got ${describeValue(o.threads)}.`);
  }
  checkProgramOptions(o);
  checkProgramName(o.programName);
  checkPreopens(o.preopens);
  if (o.memory !== undefined && !(o.memory instanceof WebAssembly.Memory)) {
    throw new InvalidOptionError('memory', `"memory" must be a shared WebAssembly.Memory that matches the module's memory import, got ${describeValue(o.memory)}.`);
  }
  // The same checks as every pool's (startTimeout within what a timer can wait; a boolean nodeLiftoffWorkaround).
  const { startTimeout, nodeLiftoffWorkaround } = resolveStartOptions(o);
  if (o.wake !== undefined && o.wake !== 'wait-async' && o.wake !== 'message') throw new InvalidOptionError('wake', '"wake" must be "wait-async" or "message".');
  return {
    maxThreads,
    threads: (o.threads as number | undefined) ?? 1,
    startTimeout,
    wake: o.wake as WakeMode | undefined,
    nodeLiftoffWorkaround,
  };
}
