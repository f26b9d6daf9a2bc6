// When runWasi settles, the program is over: every worker it started (running a thread, idle, or
// still starting for a spawn that found no idle worker) has ended and every timer is cleared,
// so a process whose only work was runWasi exits at once. Each run is its own process
// (test/fixtures/wasi/exit-after-run.mjs), so nothing else keeps it alive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('../fixtures/wasi/exit-after-run.mjs', import.meta.url));

// Why this bound: with nothing left alive the process ends 0.1-0.4 ms after the promise settles
// (measured on a 2-core machine shared with other jobs, load ~6); before the fix it lived on
// 0.6-0.8 s (10 workers still starting) and 3.3 s (47) while the workers started only to be
// ended, and up to startTimeout (60 s) in the worst case. 500 ms leaves 50x for a loaded machine
// and still fails the first of those.
const EXIT_WITHIN_MS = 500;

function runChild(name, maxThreads) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [child, name, String(maxThreads)], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
    });
  });
}

const cases = [
  // many-threads spawns 48 threads: past maxThreads its spawn fails and it calls proc_exit(3)
  // while the workers started for the spawns before are still starting.
  { title: 'proc_exit while 10 workers are still starting for queued spawns', name: 'many-threads', maxThreads: 10, exitCode: 3 },
  { title: 'proc_exit while 47 workers are still starting for queued spawns', name: 'many-threads', maxThreads: 47, exitCode: 3 },
  { title: 'a threaded program that joins its threads and returns', name: 'c-hello-threads', maxThreads: 64, exitCode: 0 },
  { title: '_start returning while threads spin', name: 'return-while-running', maxThreads: 64, exitCode: 0 },
];

for (const { title, name, maxThreads, exitCode } of cases) {
  test(`${title}: nothing is left when runWasi settles, and the process exits at once`, async (t) => {
    const run = await runChild(name, maxThreads);
    t.diagnostic(`process exit ${run.exitMsAfterSettling.toFixed(1)} ms after runWasi settled`);
    assert.equal(run.exitCode, exitCode);
    // Why MessagePort is let through: under load a worker's port can still be closing in the
    // turn after runWasi settled, though terminate() has resolved (1 run in 60 with a CPU burner
    // per core; that process exited on its own 8 ms later; Node makes ports per worker that close
    // after its 'exit'). A worker still running or starting keeps the process alive, which the
    // exit time below catches.
    const left = run.activeAfterSettling.filter((kind) => kind !== 'MessagePort');
    assert.deepEqual(left, [], 'no worker or timer alive once runWasi settled');
    assert.ok(run.exitMsAfterSettling < EXIT_WITHIN_MS, `the process lived ${run.exitMsAfterSettling.toFixed(0)} ms after runWasi settled (at most ${EXIT_WITHIN_MS})`);
  });
}
