// The wasi family's programs (wasm/wasi/*.wasm): what each is run with, what a correct run gives,
// and how one run is judged into a table cell. bench/wasi.mjs makes the tables.
import os from 'node:os';
import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { checkWorkloadOutput, workloadInputs } from '../../test/shared/workload-inputs.mjs';

/** spawn-join's batch: threads spawned, then joined, at a time. */
export const SPAWN_JOIN_BATCH = 8;

const C_FILES_INPUT = 'hello from the host';
/** c-workload's run here: more threads than this VM's cores, no sleeping, a few files per thread. */
const WORKLOAD_THREADS = 8;
const WORKLOAD = workloadInputs({ count: 3 * WORKLOAD_THREADS, maxReads: 4 });

/**
 * What each program is run with and what a correct run gives: the args the tests use
 * (test/shared/wasi-checks.mjs) and the outcome the program's header comment states.
 * `stdout` is a string (exact) or a RegExp or a function; `trap` a RegExp the error must match.
 * Programs not listed here run without args and their outcome is shown as is.
 */
export const PROGRAMS = {
  'c-files': {
    preopen: { 'in.txt': C_FILES_INPUT },
    exit: 0,
    stdout: new RegExp(`^in\\.txt: ${C_FILES_INPUT}\\nout\\.txt: written by thread \\d+\\nwritten by main\\n$`),
  },
  'c-hello-threads': {
    exit: 0,
    stdout: (s) => {
      const lines = s.trim().split('\n');
      return lines.length === 5 && lines.at(-1) === 'joined 4' && [0, 1, 2, 3].every((i) => lines.includes(`thread ${i} says hello`));
    },
  },
  'c-workload': {
    preopen: Object.fromEntries(WORKLOAD.files.map(({ name, bytes }) => [name, bytes])),
    args: [String(WORKLOAD_THREADS), '0', 'out.txt', ...WORKLOAD.files.map(({ name }) => name)],
    argsShown: `${WORKLOAD_THREADS} 0 out.txt <${WORKLOAD.files.length} files>`,
    exit: 0,
    stdout: (text) => {
      try {
        checkWorkloadOutput(text, { threads: WORKLOAD_THREADS, ...WORKLOAD });
        return true;
      } catch {
        return false;
      }
    },
  },
  'c-primes': { args: ['200000', '4'], exit: 0, stdout: 'primes below 200000: 17984\n' },
  'c-primes-malloc': { args: ['200000', '4'], exit: 0, stdout: 'primes below 200000: 17984\n' },
  'exit-while-blocked': { args: ['wait'], exit: 7, stdout: '3 threads started (wait); proc_exit(7)\n' },
  'many-threads': { exit: 0, stdout: '48 threads, unique tids\n' },
  'nested-spawn': { exit: 0, stdout: /^nested spawn ok: tids \d+ \d+ \d+\n$/ },
  'no-thread-spawn': { args: ['5'], exit: 5, stdout: 'hello\n', stderr: 'no newline' },
  'odd-memory-name': { exit: 0, stdout: /^spawned tid=\d+ ok \(memory "some module" "mem"\)\n$/ },
  'return-while-running': { exit: 0, stdout: 'main done\n' },
  spawn: { exit: 0, stdout: /^spawned tid=\d+ ok\n$/ },
  'spawn-join': { args: ['16', String(SPAWN_JOIN_BATCH)], exit: 0, stdout: /^spawned and joined 16 threads in batches of 8: counter 16, \d+ us\n$/ },
  'spawn-join-malloc': { args: ['16', String(SPAWN_JOIN_BATCH)], exit: 0, stdout: /^spawned and joined 16 threads in batches of 8: counter 16, \d+ us\n$/ },
  'thread-exit-while-blocked': { args: ['wait'], exit: 9, stdout: '3 threads started (wait); proc_exit(9) from a spawned thread\n' },
  'trap-in-thread': { trap: /unreachable/, stdout: /^thread \d+ traps now\n$/ },
};

export const clip = (s, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const firstLine = (s) => s.trim().split('\n')[0] ?? '';
// The program's own message comes last (a host may print a stack trace of its own before it).
export const lastLine = (s) => s.trim().split('\n').at(-1) ?? '';

function matches(expected, text) {
  if (expected === undefined) return true;
  if (typeof expected === 'string') return text === expected;
  if (expected instanceof RegExp) return expected.test(text);
  return expected(text);
}

/** One cell: "ok", or what went wrong, first 60 characters of a message. */
export function outcome(att, prog) {
  if (att.killed) return att.killed;
  if (att.crashed) return clip(`crashed: ${firstLine(att.stderr) || att.crashed}`);
  if (att.loadError) return clip(`n/a: ${att.loadError.message}`);
  const r = att.runs[0];
  if (r.error) {
    const msg = `${r.error.name}: ${r.error.message}`;
    if (prog?.trap?.test(r.error.message)) {
      const where = r.error.threadId !== undefined ? `, thread ${r.error.threadId}` : ', no thread id';
      return matches(prog.stdout, att.stdout) ? clip(`ok (trap${where})`) : clip(`trap${where}; stdout ${JSON.stringify(att.stdout)}`);
    }
    return clip(`error: ${msg}`);
  }
  if (!prog) return clip(`exit ${r.exitCode}${att.stderr ? `; stderr: ${lastLine(att.stderr)}` : ''}`);
  if (prog.trap) return clip(`exit ${r.exitCode}, no trap reported`);
  if (r.exitCode !== prog.exit) {
    const detail = lastLine(att.stderr) || firstLine(att.stdout);
    return clip(`exit ${r.exitCode}${detail ? `: ${detail}` : ''}`);
  }
  if (!matches(prog.stdout, att.stdout)) return clip(`exit ${r.exitCode}, stdout ${JSON.stringify(att.stdout)}`);
  if (prog.stderr !== undefined && att.stderr !== prog.stderr) return clip(`exit ${r.exitCode}, stderr ${JSON.stringify(att.stderr)}, not ${JSON.stringify(prog.stderr)}`);
  return r.exitCode === 0 ? 'ok' : `ok (exit ${r.exitCode})`;
}

export function expectedCell(prog) {
  if (!prog) return '(not known)';
  if (prog.trap) return 'trap in a thread';
  return `exit ${prog.exit}`;
}

/** Runs `fn` with the program's files in a fresh folder preopened as /data (none without `preopen`). */
export async function withPreopen(prog, fn) {
  if (!prog?.preopen) return fn(undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-wasi-'));
  try {
    for (const [name, content] of Object.entries(prog.preopen)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    return await fn({ '/data': dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
