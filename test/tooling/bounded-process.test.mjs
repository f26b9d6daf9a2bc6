// scripts/lib/bounded-process.mjs: how `npm test` runs each command. A command that outlives its
// bound is ended with everything it started, and one that exits while something it started still
// holds its output does not hold the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBounded } from '../../scripts/lib/bounded-process.mjs';

/** A Node program that starts a child sharing its output, prints the child's pid, then `then`. */
function parentOf(then) {
  return `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
    console.log('grandchild ' + child.pid);
    ${then}
  `;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid) {
  // A killed process is reaped by its parent or by init a moment later.
  for (let waited = 0; waited < 5_000 && alive(pid); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

test('a command still running at its bound is ended with the processes it started, and its last lines are kept', async () => {
  const started = performance.now();
  const outcome = await runBounded(process.execPath, ['-e', parentOf("console.log('last words'); setInterval(() => {}, 1000);")], { boundMs: 1_500, capture: true });
  assert.equal(outcome.timedOut, true);
  assert.ok(performance.now() - started < 10_000, 'returned soon after the bound');
  const pid = Number(outcome.stdout.match(/grandchild (\d+)/)?.[1]);
  assert.ok(pid > 0, outcome.stdout);
  assert.equal(await gone(pid), true, 'the grandchild was ended too');
  assert.deepEqual(outcome.lastLines.slice(-1), ['last words']);
});

test('a command that exits while a process it started holds its output returns at once, and that process is ended', async () => {
  const started = performance.now();
  const outcome = await runBounded(process.execPath, ['-e', parentOf('process.exit(3);')], { boundMs: 60_000, capture: true });
  assert.ok(performance.now() - started < 10_000, `took ${performance.now() - started} ms`);
  assert.equal(outcome.timedOut, false);
  assert.equal(outcome.status, 3);
  assert.equal(outcome.leftovers, true);
  const pid = Number(outcome.stdout.match(/grandchild (\d+)/)?.[1]);
  assert.equal(await gone(pid), true);
});

test('a command that ends within its bound reports its status and output, with nothing left over', async () => {
  const outcome = await runBounded(process.execPath, ['-e', "console.log('one'); console.error('two'); process.exitCode = 0;"], { boundMs: 30_000, capture: true, echo: false });
  assert.deepEqual(
    { status: outcome.status, timedOut: outcome.timedOut, leftovers: outcome.leftovers, stdout: outcome.stdout, stderr: outcome.stderr },
    { status: 0, timedOut: false, leftovers: false, stdout: 'one\n', stderr: 'two\n' },
  );
  assert.deepEqual(outcome.lastLines, ['one', 'two']);
});

test('a command that cannot start rejects', async () => {
  await assert.rejects(runBounded('/nonexistent/weft-command', [], { boundMs: 1_000 }), { code: 'ENOENT' });
});

test('at its bound a command is asked what it is doing (onBound) before it is killed', async () => {
  const program = "process.on('SIGUSR2', () => console.log('asked')); console.log('waiting'); setInterval(() => {}, 1000);";
  let aliveWhenAsked = false;
  const outcome = await runBounded(process.execPath, ['-e', program], {
    boundMs: 1_500,
    capture: true,
    echo: false,
    onBound: async (pid) => {
      aliveWhenAsked = alive(pid);
      process.kill(pid, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
  });
  assert.equal(outcome.timedOut, true);
  assert.equal(aliveWhenAsked, true, 'onBound ran while the command was alive');
  assert.deepEqual(outcome.lastLines, ['waiting', 'asked']);
});
