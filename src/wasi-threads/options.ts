import { resolveStartOptions } from '../core/option-checks.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import type { WakeMode } from '../protocol/messages.js';
import type { WasiDirectory } from '../wasi/fs/directory.js';
import type { StdioTerminals, WasiInput } from '../wasi/wasi-host.js';

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
   * or in Node a host path.
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
  const o = options as Partial<Record<keyof RunWasiOptions, unknown>>;
  const maxThreads = o.maxThreads ?? 64;
  if (typeof maxThreads !== 'number' || !Number.isInteger(maxThreads) || maxThreads < 0 || maxThreads > 10_000) {
    throw new InvalidOptionError('maxThreads', `"maxThreads" must be an integer from 0 to 10000, got ${String(o.maxThreads)}.`);
  }
  if (o.threads !== undefined && (typeof o.threads !== 'number' || !Number.isInteger(o.threads) || o.threads < 1)) {
    throw new InvalidOptionError('threads', `"threads" must be a positive integer, got ${String(o.threads)}.`);
  }
  if (o.args !== undefined && (!Array.isArray(o.args) || o.args.some((a) => typeof a !== 'string'))) {
    throw new InvalidOptionError('args', '"args" must be an array of strings.');
  }
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null || Object.values(o.env).some((v) => typeof v !== 'string'))) {
    throw new InvalidOptionError('env', '"env" must be an object of string values.');
  }
  for (const name of ['stdout', 'stderr'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw new InvalidOptionError(name, `"${name}" must be a function that receives bytes.`);
  }
  if (o.terminal !== undefined) {
    const terminal = o.terminal as Record<string, unknown> | null;
    const known = ['stdin', 'stdout', 'stderr'];
    if (typeof terminal !== 'object' || terminal === null || Object.entries(terminal).some(([key, value]) => !known.includes(key) || (value !== undefined && typeof value !== 'boolean'))) {
      throw new InvalidOptionError('terminal', '"terminal" must be an object like { stdout: true }: booleans for stdin, stdout and stderr.');
    }
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
