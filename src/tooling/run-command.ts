import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { Worker } from 'node:worker_threads';
import type { Platform } from '../core/platform.js';
import { bytesFitHostThread } from '../wasi-threads/host-thread.js';
import type { RunWasiOptions } from '../wasi-threads/options.js';
import type { WasiExit } from '../wasi-threads/run-wasi.js';
import { type Command, parseCommandArgs, UsageError } from './cli-command.js';

/** Exit code when the program trapped (as wasmtime does for a trap). */
const EXIT_TRAP = 134;

/** `weft run`: runs a WASI command, threads included, like `wasmtime run -S threads`. */
export const runCommand: Command = {
  summary: 'run a WASI program (wasi-threads too), like `wasmtime run -S threads`',
  help: `Usage: weft run prog.wasm [options] [-- args...]

Runs a WASI preview1 command on worker threads; programs built for
wasm32-wasip1-threads may spawn threads. The process exits with the program's
exit code; a trap prints its message to stderr and exits with ${EXIT_TRAP}.

Options:
  --dir HOST[::GUEST]  give the program a host directory (as GUEST, default HOST); repeatable
  --env K=V            set an environment variable; repeatable
  --max-threads N      most threads alive besides the main one (default 64)
  -h, --help           show this help`,
  async run(args) {
    const separator = args.indexOf('--');
    const own = separator === -1 ? args : args.slice(0, separator);
    const programArgs = separator === -1 ? [] : args.slice(separator + 1);
    const { values, positionals } = parseCommandArgs(own, {
      dir: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'max-threads': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      process.stdout.write(`${runCommand.help}\n`);
      return 0;
    }
    const [program, ...extra] = positionals;
    if (program === undefined) throw new UsageError('run needs a .wasm file: weft run prog.wasm [-- args...]');
    const preopens: Record<string, string> = {};
    for (const spec of values.dir ?? []) {
      const [host, guest = host] = spec.split('::');
      if (!host) throw new UsageError(`--dir needs HOST or HOST::GUEST, got "${spec}"`);
      preopens[guest!] = path.resolve(host);
    }
    const env: Record<string, string> = {};
    for (const pair of values.env ?? []) {
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new UsageError(`--env needs K=V, got "${pair}"`);
      env[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
    const maxThreadsText = values['max-threads'];
    const maxThreads = maxThreadsText === undefined ? undefined : Number(maxThreadsText);
    if (maxThreads !== undefined && (!/^\d+$/.test(maxThreadsText!) || maxThreads > 10_000)) {
      throw new UsageError(`--max-threads must be an integer from 0 to 10000, got "${maxThreadsText}"`);
    }
    try {
      const { exitCode } = await runProgram(program, {
        programName: path.basename(program),
        args: [...extra, ...programArgs],
        env,
        preopens,
        stdin: process.stdin,
        // As a native program sees its streams: a terminal where this process has one.
        terminal: { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
        ...(maxThreads === undefined ? {} : { maxThreads }),
      });
      return exitCode;
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const thread = (error as { threadId?: unknown }).threadId;
      process.stderr.write(`weft: ${detail}${typeof thread === 'number' ? ` (in thread ${thread})` : ''}\n`);
      return error instanceof WebAssembly.RuntimeError ? EXIT_TRAP : 1;
    } finally {
      // Why: reading stdin keeps Node alive; the program is over, so stop listening.
      process.stdin.destroy();
    }
  },
};

/**
 * `runWasi`, started the cheapest way. Why: a Node worker costs about 0.1 s of CPU to boot, more
 * than loading weft and compiling a program. So a program that spawns no threads and never waits
 * (no `fd_read` or `poll_oneoff` import, e.g. a tool that only writes) runs on this thread with no
 * worker, as under node:wasi; any other gets its main thread's worker at once, which boots while
 * weft's modules load (this module imports none of them before).
 */
async function runProgram(file: string, options: RunWasiOptions): Promise<WasiExit> {
  let early: Worker | undefined;
  if (!bytesFitHostThread(readStart(file))) {
    // The same file as nodePlatform.createWorker starts (dist/worker/node-entry.js).
    early = new Worker(new URL('../worker/node-entry.js', import.meta.url), { name: 'weft-0' });
  }
  try {
    const [{ runWasiOn }, { nodePlatform }, { NodeDirectory }] = await Promise.all([
      import('../wasi-threads/run-wasi.js'),
      import('../runtime/node/node-platform.js'),
      import('../wasi/fs/node-directory.js'),
    ]);
    const platform: Platform = {
      ...nodePlatform,
      createWorker(threadId) {
        if (threadId !== 0 || early === undefined) return nodePlatform.createWorker(threadId);
        const worker = early;
        early = undefined;
        return nodePlatform.adoptWorker(worker, 'worker');
      },
    };
    // As runWasi in node.ts.
    const defaults = {
      stdout: (out: Uint8Array) => process.stdout.write(out.slice()),
      stderr: (out: Uint8Array) => process.stderr.write(out.slice()),
      openHostDirectory: (hostPath: string) => new NodeDirectory(hostPath),
    };
    return await runWasiOn(platform, defaults, file, options, 'calling-thread-if-possible');
  } finally {
    // Not taken when runWasi failed before it started a worker (e.g. a bad option).
    void early?.terminate();
  }
}

/** Bytes read from the start of a program to see its imports (the import section comes early). */
const PEEK_BYTES = 64 * 1024;

/**
 * The first bytes of a file; none if it cannot be read (runWasi then says why) or is not a
 * regular file (a pipe must be read once, by runWasi).
 */
function readStart(file: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) return new Uint8Array(0);
    const buffer = new Uint8Array(PEEK_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, PEEK_BYTES, 0));
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
