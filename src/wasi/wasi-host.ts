import { describeValue } from '../core/option-checks.js';
import { InvalidArgumentError } from '../errors/catalogue.js';
import { clockNow, clockResolution } from './clocks.js';
import { Errno } from './constants.js';
import { errnoOf, fail } from './errno-error.js';
import { fdCalls } from './fd-calls.js';
import { FdTable } from './fd-table.js';
import { encodeText, GuestMemory } from './memory.js';
import { pathCalls } from './path-calls.js';
import { pollOneoff } from './poll.js';
import { isPreview1Name, WASI_PREVIEW1_SIGNATURES, type Preview1Name } from './signatures.js';
import { OutputStreams, StdinBuffer } from './stdio.js';
import type { SyscallResult, SyscallTable, WasiContext } from './syscall.js';
import { checkWasiOptions, type WasiOptions } from './wasi-options.js';

export type { WasiInput, WasiOutput } from './stdio.js';
export type { StdioTerminals, WasiOptions } from './wasi-options.js';

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
 * The parameter types of `name`, once `name`, `args` and `memory` are what {@link WasiHost.call}
 * takes; an InvalidArgumentError saying what to pass otherwise. Why checked on every call: the
 * checks cost a few comparisons per argument, against a system call's work, and a wrong value
 * would otherwise be read as some other number, not reported.
 */
function checkCall(name: unknown, args: unknown, memory: unknown): readonly ('i32' | 'i64')[] {
  if (name === 'proc_exit') {
    throw new InvalidArgumentError('WasiHost.call: proc_exit ends the program, which is the thread runtime\'s work, not the host\'s: end the program where it called proc_exit (runWasi does).');
  }
  if (typeof name !== 'string' || !isPreview1Name(name)) {
    throw new InvalidArgumentError(`WasiHost.call: ${describeValue(name)} is not a wasi_snapshot_preview1 function; pass one of the names of WASI_PREVIEW1_SIGNATURES.`);
  }
  const types = WASI_PREVIEW1_SIGNATURES[name]!;
  if (!Array.isArray(args) || args.length !== types.length) {
    const got = Array.isArray(args) ? `${args.length}` : describeValue(args);
    throw new InvalidArgumentError(`WasiHost.call: ${name} takes an array of ${types.length} argument${types.length === 1 ? '' : 's'} (${types.join(', ') || 'none'}), got ${got}.`);
  }
  types.forEach((type, index) => {
    const value: unknown = args[index];
    if (!Number.isInteger(value) && !(type === 'i64' && typeof value === 'bigint')) {
      throw new InvalidArgumentError(`WasiHost.call: argument ${index} of ${name} is an ${type}, which takes ${type === 'i32' ? 'an integer number' : 'a bigint (or an integer number)'}, got ${describeValue(value)}.`);
    }
  });
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new InvalidArgumentError(`WasiHost.call: "memory" must be the program's WebAssembly.Memory, got ${describeValue(memory)}.`);
  }
  return types;
}

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

  /** @throws InvalidOptionError naming the option (`options` itself for what is no options object) that has the wrong type. */
  constructor(options: WasiOptions = {}) {
    options = checkWasiOptions(options);
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
   * @throws InvalidArgumentError for a name that is not a preview1 function, `proc_exit`, the
   * wrong number of arguments, an argument that is not an integer number (i32) or a bigint or
   * integer number (i64), or a `memory` that is not a `WebAssembly.Memory`.
   */
  call(name: string, args: readonly (number | bigint)[], memory: WebAssembly.Memory): number | Promise<number> {
    const types = checkCall(name, args, memory);
    if (this.#closed) return Errno.CANCELED;
    const params = types.map((type, index) => {
      const value = args[index]!;
      return type === 'i64' ? BigInt.asUintN(64, BigInt(value)) : (value as number) >>> 0;
    });
    let result: SyscallResult;
    try {
      const syscall = SYSCALLS[name as Exclude<Preview1Name, 'proc_exit'>] as (context: WasiContext, memory: GuestMemory, ...params: (number | bigint)[]) => SyscallResult;
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
