import { clockNow, clockResolution } from './clocks.js';
import { Errno } from './constants.js';
import { errnoOf, fail } from './errno-error.js';
import { fdCalls } from './fd-calls.js';
import { FdTable } from './fd-table.js';
import type { WasiDirectory } from './fs/directory.js';
import { encodeText, GuestMemory } from './memory.js';
import { pathCalls } from './path-calls.js';
import { pollOneoff } from './poll.js';
import { isPreview1Name, WASI_PREVIEW1_SIGNATURES, type Preview1Name } from './signatures.js';
import { OutputStreams, StdinBuffer, type WasiInput, type WasiOutput } from './stdio.js';
import type { SyscallResult, SyscallTable, WasiContext } from './syscall.js';

export type { WasiInput, WasiOutput } from './stdio.js';

/** Options of a {@link WasiHost}: what one WASI program sees. */
export interface WasiOptions {
  /** argv, including argv[0] (the program's name). Default: none. */
  args?: readonly string[];
  /** Environment variables. Default: none. */
  env?: Readonly<Record<string, string>>;
  /** Directories the program may use: guest path → backend. They are fds 3, 4, ... in this order. */
  preopens?: Readonly<Record<string, WasiDirectory>>;
  /** What the program reads on stdin. Default: nothing (end of file at once). */
  stdin?: WasiInput;
  /** Receives what the program writes to stdout, in whole lines where it can. Default: discarded. */
  stdout?: WasiOutput;
  /** Receives what the program writes to stderr. Default: discarded. */
  stderr?: WasiOutput;
  /**
   * Which stdio streams are terminals. A terminal reports `character_device` (wasi-libc's
   * `isatty()` is then true, and stdout line-buffered); any other stream reports `unknown`, as a
   * pipe or a callback is no character device, and the program's C library buffers it fully, as
   * on a pipe. Default: none.
   */
  terminal?: StdioTerminals;
}

/** Which of stdin, stdout and stderr are terminals (see {@link WasiOptions.terminal}). */
export interface StdioTerminals {
  readonly stdin?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
}

/** Bytes `random_get` asks `crypto.getRandomValues` for at once (the most it takes). */
const RANDOM_CHUNK = 65_536;

function zeroTerminated(text: string): Uint8Array {
  return encodeText(`${text}\0`);
}

/** Writes `strings` as an array of pointers at `pointers` and their bytes from `buffer`. */
function writeStrings(memory: GuestMemory, strings: readonly Uint8Array[], pointers: number, buffer: number): number {
  memory.checkRange(pointers, strings.length * 4);
  let at = buffer;
  strings.forEach((bytes, index) => {
    memory.setU32(pointers + index * 4, at);
    memory.write(at, bytes);
    at += bytes.length;
  });
  return Errno.SUCCESS;
}

function writeSizes(memory: GuestMemory, strings: readonly Uint8Array[], count: number, size: number): number {
  memory.checkRange(count, 4);
  memory.checkRange(size, 4);
  memory.setU32(count, strings.length);
  memory.setU32(size, strings.reduce((sum, bytes) => sum + bytes.length, 0));
  return Errno.SUCCESS;
}

type ProcessCallName =
  | 'args_get' | 'args_sizes_get' | 'environ_get' | 'environ_sizes_get' | 'clock_res_get' | 'clock_time_get'
  | 'poll_oneoff' | 'proc_raise' | 'sched_yield' | 'random_get'
  | 'sock_accept' | 'sock_recv' | 'sock_send' | 'sock_shutdown';

/** For a socket call on `fd`: EBADF if it is not open, else ENOTSOCK — weft never has sockets. */
function notSocket(context: WasiContext, fd: number): number {
  context.fds.get(fd);
  return fail(Errno.NOTSOCK);
}

const processCalls: SyscallTable<ProcessCallName> = {
  args_get: (context, memory, argv, buffer) => writeStrings(memory, context.args, argv, buffer),
  args_sizes_get: (context, memory, count, size) => writeSizes(memory, context.args, count, size),
  environ_get: (context, memory, environ, buffer) => writeStrings(memory, context.env, environ, buffer),
  environ_sizes_get: (context, memory, count, size) => writeSizes(memory, context.env, count, size),

  clock_res_get(_context, memory, id, out) {
    memory.setU64(out, clockResolution(id) ?? fail(Errno.INVAL));
    return Errno.SUCCESS;
  },

  clock_time_get(_context, memory, id, _precision, out) {
    memory.setU64(out, clockNow(id) ?? fail(Errno.INVAL));
    return Errno.SUCCESS;
  },

  poll_oneoff: pollOneoff,

  // Why ENOSYS: signals have no meaning here; wasi-libc's raise() does not even import this.
  proc_raise: () => fail(Errno.NOSYS),

  // The thread runtime yields the calling thread itself; answering here costs nothing and is right.
  sched_yield: () => Errno.SUCCESS,

  random_get(_context, memory, buffer, length) {
    memory.checkRange(buffer, length);
    // Why a copy: getRandomValues refuses views of a SharedArrayBuffer and takes at most 65,536 bytes.
    const chunk = new Uint8Array(Math.min(length, RANDOM_CHUNK));
    for (let done = 0; done < length; done += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, length - done));
      crypto.getRandomValues(part);
      memory.write(buffer + done, part);
    }
    return Errno.SUCCESS;
  },

  sock_accept: (context, _memory, fd) => notSocket(context, fd),
  sock_recv: (context, _memory, fd) => notSocket(context, fd),
  sock_send: (context, _memory, fd) => notSocket(context, fd),
  sock_shutdown: (context, _memory, fd) => notSocket(context, fd),
};

const SYSCALLS: Omit<SyscallTable<Preview1Name>, 'proc_exit'> = { ...processCalls, ...fdCalls, ...pathCalls };

/**
 * WASI preview1 (`wasi_snapshot_preview1`) for one program, answered on the host thread. Every
 * thread of the program forwards its calls here, so they all share one fd table, one set of
 * preopens and file positions, one stdin buffer and one output order.
 *
 * A program may hold at most 1,024 fds open at once, stdio and preopens included (a default
 * `ulimit -n`): past that `path_open` answers `EMFILE` without opening or creating anything, so
 * a program cannot use up the host process's own file descriptors.
 *
 * ```ts
 * const host = new WasiHost({ args: ['prog'], stdout: (b) => process.stdout.write(b) });
 * const errno = host.call('fd_write', [1, iovs, 1, nwrittenPtr], memory);
 * ```
 */
export class WasiHost {
  readonly #context: WasiContext;
  #closed = false;

  constructor(options: WasiOptions = {}) {
    const stdin = new StdinBuffer(options.stdin);
    const outputs = new OutputStreams(options.stdout, options.stderr);
    this.#context = {
      args: (options.args ?? []).map(zeroTerminated),
      env: Object.entries(options.env ?? {}).map(([key, value]) => zeroTerminated(`${key}=${value}`)),
      fds: new FdTable(stdin, outputs.stdout, outputs.stderr, options.preopens ?? {}, options.terminal ?? {}),
      stdin,
      outputs,
      waits: new Set(),
    };
  }

  /**
   * Runs one preview1 call against `memory` (the program's memory; views are re-created from
   * `memory.buffer` on every call, as it may have grown). `args` are the wasm values as JS gives
   * them: number for i32 (pointers and sizes are read as unsigned), bigint for i64.
   *
   * Returns the errno (0 = success), or a Promise of it for a call that must wait: `fd_read` of
   * stdin with nothing buffered, and `poll_oneoff` with clock or stdin subscriptions that are not
   * ready. Guest errors are errno values, never exceptions. `proc_exit` is not answered here (the
   * thread runtime ends the program), nor is `wasi.thread-spawn`; `sched_yield` answers 0.
   * @throws TypeError for a name that is not a preview1 function, `proc_exit`, or the wrong number of arguments.
   */
  call(name: string, args: readonly (number | bigint)[], memory: WebAssembly.Memory): number | Promise<number> {
    if (!isPreview1Name(name) || name === 'proc_exit') {
      throw new TypeError(`WasiHost.call: ${name === 'proc_exit' ? 'proc_exit is handled by the thread runtime' : `"${name}" is not a wasi_snapshot_preview1 function`}`);
    }
    const types = WASI_PREVIEW1_SIGNATURES[name]!;
    if (args.length !== types.length) throw new TypeError(`WasiHost.call: ${name} takes ${types.length} arguments, got ${args.length}`);
    if (this.#closed) return Errno.CANCELED;
    const params = types.map((type, index) => {
      const value = args[index]!;
      return type === 'i64' ? BigInt.asUintN(64, BigInt(value)) : Number(value) >>> 0;
    });
    let result: SyscallResult;
    try {
      const syscall = SYSCALLS[name] as (context: WasiContext, memory: GuestMemory, ...params: (number | bigint)[]) => SyscallResult;
      result = syscall(this.#context, new GuestMemory(memory), ...params);
    } catch (error) {
      return errnoOf(error);
    }
    return typeof result === 'number' ? result : result.catch(errnoOf);
  }

  /** Writes out buffered output (a final line without a newline is still written). */
  flush(): void {
    this.#context.outputs.flush();
  }

  /**
   * Ends the program's WASI state: flushes output, closes every fd (host files included), stops
   * reading stdin, and settles every waiting call (with ECANCELED, reads of stdin with end of
   * file). Later calls answer ECANCELED. Call it once the program has ended.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const cancel of [...this.#context.waits]) cancel();
    this.#context.waits.clear();
    this.#context.stdin.close();
    this.#context.fds.closeAll();
    this.flush();
  }

  /** `close()`, for `using host = new WasiHost(…)`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
