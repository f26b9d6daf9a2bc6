// A command run in its own process group with a time bound (each command of `npm test`, the
// tarball test's npm and node runs): a hung test (or a hung test runner) ends as a failure that
// names what hung, never as a CI run that outlives its time limit. Output is streamed as it comes
// and its last lines are kept for the failure note.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Process groups still running, ended if `npm test` itself is interrupted. */
const liveGroups = new Set();
let signalsHooked = false;

/**
 * @typedef {{ status: number | null, signal: string | null, timedOut: boolean, stdout: string, stderr: string, lastLines: string[], leftovers: boolean }} BoundedOutcome
 *   `stdout` and `stderr` are kept only with `capture`; `leftovers` says the command exited but
 *   left processes of its group running (they are ended).
 */

/** How long `onBound` may take before the group is killed anyway. */
const ON_BOUND_LIMIT_MS = 30_000;

/**
 * Runs `command` in a process group of its own that is killed as a whole when it is still running
 * after `boundMs`; its output is echoed to ours unless `echo` is false. `onBound(pid)` runs when
 * the bound is reached, before the kill (to ask the process what it is doing); it gets at most
 * ON_BOUND_LIMIT_MS.
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, boundMs: number, capture?: boolean, echo?: boolean, onBound?: (pid: number) => Promise<void> }} options
 * @returns {Promise<BoundedOutcome>}
 */
export function runBounded(command, args, { cwd, env, boundMs, capture = false, echo = true, onBound }) {
  hookSignals();
  return new Promise((resolve, reject) => {
    // detached: the command leads a new process group, so its workers, servers and browsers
    // (those not detached themselves) are ended with it.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) liveGroups.add(child.pid);
    let stdout = '';
    let stderr = '';
    let tail = '';
    const keepTail = (text) => {
      tail = (tail + text).slice(-4_000);
    };
    child.stdout.on('data', (chunk) => {
      if (echo) process.stdout.write(chunk);
      const text = chunk.toString('utf8');
      if (capture) stdout += text;
      keepTail(text);
    });
    child.stderr.on('data', (chunk) => {
      if (echo) process.stderr.write(chunk);
      const text = chunk.toString('utf8');
      if (capture) stderr += text;
      keepTail(text);
    });
    let timedOut = false;
    let exited = false;
    const timer = setTimeout(async () => {
      timedOut = true;
      if (onBound) {
        let limit;
        await Promise.race([onBound(child.pid).catch(() => undefined), new Promise((resolve) => (limit = setTimeout(resolve, ON_BOUND_LIMIT_MS)))]);
        clearTimeout(limit);
      }
      // Why not kill unconditionally: once the command has exited, its group id may be reused.
      if (!exited) killGroup(child.pid);
    }, boundMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      reject(error);
    });
    // 'exit', not 'close': a process left behind holding the pipes must not hold `npm test` too.
    child.on('exit', (status, signal) => {
      exited = true;
      clearTimeout(timer);
      const leftovers = !timedOut && groupAlive(child.pid);
      killGroup(child.pid);
      liveGroups.delete(child.pid);
      const finish = () => resolve({ status, signal, timedOut, stdout, stderr, lastLines: tail.split('\n').filter((line) => line.trim() !== '').slice(-5), leftovers });
      // Output still in the pipes arrives before 'close'; a second's grace, as the group is dead.
      const grace = setTimeout(finish, 1_000);
      child.on('close', () => {
        clearTimeout(grace);
        finish();
      });
    });
  });
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group has already ended.
  }
}

function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const pid of liveGroups) killGroup(pid);
      process.exit(128 + constants.signals[signal]);
    });
  }
}
