// Checks of wasi-threads programs (wasm/src/wasi/) that run unchanged in Node
// (test/node/wasi-shared.test.mjs) and in Chromium (test/browser/pages/wasi.html).
// Each check gets { runWasi, errors, wasm } where wasm(name) is the URL of wasm/wasi/<name>.wasm.
import { checkWorkloadOutput, workloadInputs } from './workload-inputs.mjs';

function equal(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Runs a program, collecting its output as text; resolves to { exitCode, stdout, stderr } or { error }. */
async function run(runWasi, url, options = {}) {
  const decoder = new TextDecoder();
  let stdout = '';
  let stderr = '';
  try {
    const { exitCode } = await runWasi(url, {
      ...options,
      stdout: (bytes) => (stdout += decoder.decode(bytes)),
      stderr: (bytes) => (stderr += decoder.decode(bytes)),
    });
    return { exitCode, stdout, stderr };
  } catch (error) {
    return { error, stdout, stderr };
  }
}

/** A stdin that never delivers data: a read blocks until the program ends. */
function silentStdin() {
  return { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }) };
}

export const wasiChecks = {
  async 'spawn: a thread runs and is joined'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('spawn'));
    equal([r.exitCode, r.stdout], [0, 'spawned tid=1 ok\n'], 'spawn');
  },

  async 'nested spawn: threads spawned by threads'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('nested-spawn'));
    equal(r.exitCode, 0, 'exit code');
    if (!/tids 1 2 3/.test(r.stdout)) throw new Error(`stdout: ${r.stdout}`);
  },

  async '48 threads alive at once with unique positive tids'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('many-threads'), { maxThreads: 64 });
    equal([r.exitCode, r.stdout], [0, '48 threads, unique tids\n'], 'many threads');
  },

  async 'spawn past maxThreads fails with a negative value, not a hang'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('many-threads'), { maxThreads: 10 });
    equal(r.exitCode, 3, 'exit code');
    if (!/spawn failed -\d+/.test(r.stderr)) throw new Error(`stderr: ${r.stderr}`);
  },

  async 'proc_exit from the main thread ends threads that wait, spin, sleep or read stdin'({ runWasi, wasm }) {
    for (const mode of ['wait', 'busy', 'sleep', 'stdin']) {
      const r = await run(runWasi, wasm('exit-while-blocked'), { args: [mode], stdin: silentStdin() });
      equal(r.exitCode, 7, `main exit while others ${mode}`);
    }
  },

  async 'proc_exit from a spawned thread ends the program'({ runWasi, wasm }) {
    for (const mode of ['wait', 'busy', 'sleep', 'stdin']) {
      const r = await run(runWasi, wasm('thread-exit-while-blocked'), { args: [mode], stdin: silentStdin() });
      equal(r.exitCode, 9, `thread exit while others ${mode}`);
    }
  },

  async 'returning from _start ends the program while threads still run'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('return-while-running'));
    equal([r.exitCode, r.stdout], [0, 'main done\n'], 'return from _start');
  },

  async 'a trap in a spawned thread fails the program with the trap and the thread id'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('trap-in-thread'));
    if (!(r.error instanceof WebAssembly.RuntimeError)) throw new Error(`expected a RuntimeError, got ${r.error ?? `exit ${r.exitCode}`}`);
    if (!/unreachable/i.test(r.error.message)) throw new Error(r.error.message);
    if (!(r.error.threadId > 0)) throw new Error(`threadId ${r.error.threadId}`);
  },

  async 'memory imported under odd names'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('odd-memory-name'));
    equal(r.exitCode, 0, 'exit code');
    if (!/spawned tid=1 ok/.test(r.stdout)) throw new Error(r.stdout);
  },

  async 'a plain WASI command without thread-spawn, with a final line without newline'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('no-thread-spawn'), { args: ['5'] });
    equal([r.exitCode, r.stdout, r.stderr], [5, 'hello\n', 'no newline'], 'plain WASI');
  },

  async 'C threads print whole lines, join, keep TLS private and allocate'({ runWasi, wasm }) {
    const r = await run(runWasi, wasm('c-hello-threads'));
    equal(r.exitCode, 0, `exit code (stderr: ${r.stderr})`);
    const lines = r.stdout.trim().split('\n');
    for (let i = 0; i < 4; i++) if (!lines.includes(`thread ${i} says hello`)) throw new Error(`missing thread ${i}: ${r.stdout}`);
    equal(lines.at(-1), 'joined 4', 'last line');
  },

  async 'a threaded C workload gives the checkable result on 1 and 4 threads'({ runWasi, wasm }) {
    for (const threads of ['1', '4']) {
      const r = await run(runWasi, wasm('c-primes'), { args: ['200000', threads] });
      equal([r.exitCode, r.stdout], [0, 'primes below 200000: 17984\n'], `primes on ${threads} threads`);
    }
  },

  async 'bad input: a module that is not a WASI command gets a typed error'({ runWasi, errors }) {
    const notCommand = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const r = await run(runWasi, notCommand);
    if (!(r.error instanceof errors.WeftError)) throw new Error(`expected a WeftError, got ${r.error}`);
  },
};

/** Files through a preopened MemoryDirectory: opened on one thread, written on another, read back. */
wasiChecks['a file opened on one thread is written on another (one WASI state)'] = async ({ runWasi, errors, wasm }) => {
  const data = errors.MemoryDirectory.from({ 'in.txt': 'hello from the host' });
  const r = await run(runWasi, wasm('c-files'), { preopens: { '/data': data } });
  equal(r.exitCode, 0, `exit code (stderr: ${r.stderr})`);
  equal(r.stdout, 'in.txt: hello from the host\nout.txt: written by thread 1\nwritten by main\n', 'stdout');
  equal(data.readTextFile('out.txt'), 'written by thread 1\nwritten by main\n', 'file left in the directory');
};

/** Hosts without Atomics.waitAsync (Firefox before 145): system calls and spawns still work. */
wasiChecks['the message wake mode serves system calls and queued spawns'] = async ({ runWasi, errors, wasm }) => {
  const data = errors.MemoryDirectory.from({ 'in.txt': 'via messages' });
  const files = await run(runWasi, wasm('c-files'), { preopens: { '/data': data }, wake: 'message' });
  equal([files.exitCode, files.stdout.split('\n')[0]], [0, 'in.txt: via messages'], 'c-files');
  const many = await run(runWasi, wasm('many-threads'), { wake: 'message', threads: 1 });
  equal([many.exitCode, many.stdout], [0, '48 threads, unique tids\n'], 'many-threads');
};

/**
 * A small run of the workload that test/node/wasi-workload.test.mjs runs large (there also with
 * CPU time and exit checks): 6 threads over 12 files in a MemoryDirectory, sleeping 5 ms after
 * each 4 KiB read, printing from several threads at once and writing a result file.
 */
wasiChecks['a workload of 6 threads that sleep, read files and print at once gives exact output'] = async ({ runWasi, errors, wasm }) => {
  const threads = 6;
  const inputs = workloadInputs({ count: 12, maxReads: 3 });
  const data = errors.MemoryDirectory.from({ inputs: {} });
  for (const { name, bytes } of inputs.files) data.writeFile(name, bytes);
  const r = await run(runWasi, wasm('c-workload'), {
    args: [String(threads), '5', 'results.txt', ...inputs.files.map((f) => f.name)],
    preopens: { '/data': data },
  });
  equal([r.exitCode, r.stderr], [0, ''], 'exit code and stderr');
  checkWorkloadOutput(r.stdout, { threads, ...inputs });
  equal(data.readTextFile('results.txt'), [...inputs.fileLines, inputs.total, ''].join('\n'), 'results.txt');
};
