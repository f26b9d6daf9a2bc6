// A program that outgrows one thread (wasm/src/wasi/c-workload.c): a parallel wc + checksum over
// generated files with more worker threads than this machine has cores, threads that sleep in
// poll_oneoff between reads, output lines from many threads at once and a result file, run
// through runWasi and through `weft run`. Checks the exact output, that the threads were alive at
// once, that sleeping threads burn no CPU, and that everything ends by itself.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runWasi } from '../../dist/node.js';
import { checkWorkloadOutput, workloadInputs } from '../shared/workload-inputs.mjs';

const cli = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));
const program = fileURLToPath(new URL('../../wasm/wasi/c-workload.wasm', import.meta.url));

const cores = availableParallelism();
// More threads than cores, whatever the machine: at least 16, and 4 past the core count.
const THREADS = Math.max(16, cores + 4);
const FILES = 3 * THREADS;
const SLEEP_MS = 100; // after every read of 4096 bytes
// 1..8 reads (so as many sleeps) per file, 4.5 on average: each thread sleeps ~13 times, so the
// run is more than a second of sleeping against a few ms of counting.
const MAX_READS = 8;

// Why this bound: while the threads sleep, a healthy run only pays for the host round trips (~2
// system calls per 100 ms sleep per thread): 0.06-0.11 CPU-seconds per second measured here (2
// cores shared with other jobs, load average ~6; Node 20 and 22, runWasi and weft run). A sleep
// that busy-waits instead measured 0.75-1.09 when it spins on clock_time_get (the host thread
// answering clock calls non-stop) and 1.0-1.35 when it spins in wasm, on that loaded machine
// (0.95-1.9 when it was quieter): 16 spinning threads take most of any fair share of the cores.
// Others' load can only lengthen our wall time (lowering the ratio), never add to our CPU time.
// Half a core leaves ~4x for GC and noise above the healthy runs, and fails both kinds of
// spinning.
const MAX_CPU_PER_WALL_WHILE_SLEEPING = 0.5;
// The window starts this long after the gate opens: the workers' first moments (all waking at
// once, V8 compiling the code they call first) cost up to ~0.15 CPU-seconds at once, which is
// start-up, not sleeping.
const SETTLE_MS = 200;
// The process must end by itself this soon after the program's last line (teardown takes ~0.1 s).
const EXIT_WITHIN_MS = 5_000;

let dir;
let expected; // workloadInputs(): { files, fileLines (in argument order), total }
const names = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-workload-'));
  await mkdir(join(dir, 'inputs'));
  expected = workloadInputs({ count: FILES, maxReads: MAX_READS });
  for (const { name, bytes } of expected.files) {
    await writeFile(join(dir, name), bytes);
    names.push(name);
  }
});

after(() => rm(dir, { recursive: true, force: true }));

const args = (out) => [String(THREADS), String(SLEEP_MS), out, ...names];

/** The exact output: main's lines in place, the workers' file lines as a set (they interleave). */
function checkOutput(stdout, stderr) {
  assert.equal(stderr, '');
  checkWorkloadOutput(stdout, { threads: THREADS, ...expected });
  assert.ok(THREADS > cores, `${THREADS} threads alive at once, more than the ${cores} cores`);
}

async function checkResultFile(out) {
  assert.equal(await readFile(join(dir, out), 'utf8'), [...expected.fileLines, expected.total, ''].join('\n'));
}

function checkCpu(t, what, { cpuMs, wallMs }) {
  const ratio = cpuMs / wallMs;
  t.diagnostic(`${what}: ${cpuMs.toFixed(0)} ms CPU in ${wallMs.toFixed(0)} ms while ${THREADS} threads slept (${ratio.toFixed(3)} CPU/wall)`);
  // The phase must be long enough to mean something: most of the expected sleeping.
  assert.ok(wallMs > 500, `${what}: the sleeping phase lasted only ${wallMs} ms`);
  assert.ok(ratio < MAX_CPU_PER_WALL_WHILE_SLEEPING, `${what}: ${cpuMs.toFixed(0)} ms CPU in ${wallMs.toFixed(0)} ms of sleeping threads (${ratio.toFixed(2)} cores; at most ${MAX_CPU_PER_WALL_WHILE_SLEEPING})`);
}

/** OS threads of this process (Linux), or undefined. Each Node worker is one. */
function osThreads() {
  if (!existsSync('/proc/self/status')) return undefined;
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

/** osThreads() once it has kept one value for 200 ms (at most 5 s), or undefined. */
async function settledOsThreads() {
  let count = osThreads();
  if (count === undefined) return undefined;
  for (let same = 0, deadline = performance.now() + EXIT_WITHIN_MS; same < 4 && performance.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = osThreads();
    same = now === count ? same + 1 : 0;
    count = now;
  }
  return count;
}

test('runWasi: more threads than cores sleep, read files and print at once; exact output, idle CPU, nothing left', async (t) => {
  // Warm up once (a 1-thread run over one file), so that the threads Node starts lazily (libuv's
  // pool, V8's helpers) are there before the count this run is compared with.
  await runWasi(program, { args: ['1', '0', 'warm-up.txt', names[1]], preopens: { '/data': dir }, stdout: () => {} });
  const threadsBefore = await settledOsThreads(); // once the warm-up's workers have ended
  let stdout = '';
  let stderr = '';
  let started; // the gate opened
  let window; // SETTLE_MS later: the CPU time and clock where the measured window starts
  let joined;
  let threadsWhileRunning;
  const decoder = new TextDecoder();
  const { exitCode } = await runWasi(program, {
    args: args('results-api.txt'),
    preopens: { '/data': dir },
    maxThreads: THREADS,
    stdout: (bytes) => {
      stdout += decoder.decode(bytes);
      // runWasi calls this on this thread as the program writes: the markers time the phase in
      // which the workers only read, count and sleep.
      if (!started && stdout.includes(' threads\n')) {
        started = { at: performance.now() };
        threadsWhileRunning = osThreads();
        setTimeout(() => (window ??= { at: performance.now(), cpu: process.cpuUsage() }), SETTLE_MS);
      }
      if (!joined && window && stdout.includes('\njoined ')) joined = { at: performance.now(), cpu: process.cpuUsage(window.cpu) };
    },
    stderr: (bytes) => (stderr += decoder.decode(bytes)),
  });
  assert.equal(exitCode, 0, stderr);
  checkOutput(stdout, stderr);
  await checkResultFile('results-api.txt');
  assert.ok(joined, `the threads slept for more than ${SETTLE_MS} ms`);
  checkCpu(t, 'runWasi', { cpuMs: (joined.cpu.user + joined.cpu.system) / 1000, wallMs: joined.at - window.at });

  if (threadsBefore !== undefined) {
    // The operating system saw the threads too: a worker (an OS thread) for each, all at once.
    assert.ok(threadsWhileRunning >= threadsBefore + THREADS, `${threadsWhileRunning} OS threads while running, ${threadsBefore} before`);
    // And none is left once the promise settled (workers end asynchronously: allow a moment).
    // Why not on Deno (this file is not in scripts/test.mjs's Deno list, but runs there): Deno
    // 2.9's terminate() leaves the OS thread of a worker blocked in Atomics.wait alive until the
    // process exits (a plain worker_threads Worker does the same; cf. denoland/deno#35657).
    if (process.versions.deno !== undefined) return;
    const deadline = performance.now() + EXIT_WITHIN_MS;
    while (osThreads() > threadsBefore && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(osThreads() <= threadsBefore, `${osThreads()} OS threads ${EXIT_WITHIN_MS} ms after the end, ${threadsBefore} before`);
  }
});

/** utime + stime of a live process in ms (Linux /proc), or undefined once it is gone. */
function processCpuMs(pid, ticksPerSecond) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

test('weft run: the same program from the command line, exact output, idle CPU, and the process exits by itself', async (t) => {
  const linux = existsSync('/proc/self/stat');
  const ticksPerSecond = linux ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100 : 100;
  const child = spawn(process.execPath, [cli, 'run', '--max-threads', String(THREADS), '--dir', `${dir}::/data`, program, '--', ...args('results-cli.txt')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let lastOutputAt = 0;
  let startedAt; // the gate opened
  let window; // the first sample at least SETTLE_MS later
  let latest; // the last sample before "joined" arrived
  let joinedSeen = false;
  const sample = () => {
    if (!linux || startedAt === undefined || performance.now() < startedAt + SETTLE_MS || joinedSeen) return;
    const cpuMs = processCpuMs(child.pid, ticksPerSecond);
    if (cpuMs === undefined) return;
    latest = { at: performance.now(), cpuMs };
    window ??= latest;
  };
  const sampler = setInterval(sample, 25);
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
    lastOutputAt = performance.now();
    if (startedAt === undefined && stdout.includes(' threads\n')) startedAt = performance.now();
    if (stdout.includes('\njoined ')) {
      sample();
      joinedSeen = true;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  let exitedAt;
  child.on('exit', () => {
    exitedAt = performance.now();
    clearInterval(sampler);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  // 'close' comes after 'exit' and once all output was read.
  const [code, signal] = await new Promise((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(killer);

  assert.deepEqual([code, signal], [0, null], `exit (stderr: ${stderr})`);
  checkOutput(stdout, stderr);
  await checkResultFile('results-cli.txt');
  assert.ok(exitedAt - lastOutputAt < EXIT_WITHIN_MS, `the process exited ${exitedAt - lastOutputAt} ms after its last output`);
  if (linux) {
    assert.ok(window && latest, 'sampled the CPU time of the process while its threads slept');
    checkCpu(t, 'weft run', { cpuMs: latest.cpuMs - window.cpuMs, wallMs: latest.at - window.at });
  }
});

test('a file that cannot be read is named on stderr, the others are still counted, and the exit code is 1', async () => {
  const decoder = new TextDecoder();
  let stdout = '';
  let stderr = '';
  const { exitCode } = await runWasi(program, {
    args: ['3', '0', 'results-missing.txt', names[3], 'inputs/no-such-file.txt', names[4]],
    preopens: { '/data': dir },
    stdout: (bytes) => (stdout += decoder.decode(bytes)),
    stderr: (bytes) => (stderr += decoder.decode(bytes)),
  });
  assert.equal(exitCode, 1);
  assert.equal(stderr, 'inputs/no-such-file.txt: error path_open errno 44\n'); // 44: noent
  const counted = [expected.fileLines[3], expected.fileLines[4]];
  const sum = (field) => counted.reduce((n, line) => n + Number(new RegExp(`${field} (\\d+)`).exec(line)[1]), 0);
  const total = `total: files 2 lines ${sum('lines')} words ${sum('words')} bytes ${sum('bytes')}`;
  const lines = stdout.trimEnd().split('\n');
  assert.deepEqual([lines[0], ...lines.slice(-3)], ['started 3 of 3 threads', 'joined 3 threads', total, 'peak concurrent threads: 3']);
  assert.deepEqual(lines.slice(1, -3).sort(), [...counted].sort());
  assert.equal(await readFile(join(dir, 'results-missing.txt'), 'utf8'), [...counted, total, ''].join('\n'));
});
