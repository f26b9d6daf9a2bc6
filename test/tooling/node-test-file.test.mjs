// scripts/lib/node-test-file.mjs: how `npm test` runs one node:test file. A file that outlives its
// bound is ended, and the failure says which test was running and where each thread waited.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeHang, runNodeTestFile } from '../../scripts/lib/node-test-file.mjs';

const workDir = await mkdtemp(join(tmpdir(), 'weft-test-file-'));
after(() => rm(workDir, { recursive: true, force: true }));

// One test that passes, then one whose subtest never ends while a worker blocks in Atomics.wait.
// The worker is given the process's execArgv, as parcel gives its workers: Node refuses some
// flags there (--report-directory), so the hang report must not be armed by flags.
const hangingFile = join(workDir, 'hangs.test.mjs');
await writeFile(
  hangingFile,
  `
  import { test } from 'node:test';
  import { Worker } from 'node:worker_threads';
  test('finishes', () => {});
  test('waits forever', async (t) => {
    await t.test('inner', async () => {
      const flag = new SharedArrayBuffer(4);
      new Worker('function parkedInAtomicsWait(i) { Atomics.wait(i, 0, 0); } parkedInAtomicsWait(new Int32Array(require("node:worker_threads").workerData));', { eval: true, workerData: flag, execArgv: process.execArgv });
      setInterval(() => {}, 1000);
      await new Promise(() => {});
    });
  });
  `,
);

test('a file that hangs is ended at its bound, with the test that was running and each thread\'s stack', async () => {
  const started = performance.now();
  const { outcome, tap, hang } = await runNodeTestFile(process.execPath, hangingFile, { cwd: workDir, boundMs: 4_000, workDir, name: 'hangs', echo: false });
  assert.ok(performance.now() - started < 30_000, 'ended soon after the bound');
  assert.equal(outcome.timedOut, true);
  assert.match(outcome.lastLines.join('\n'), /✔ finishes/);
  assert.match(tap, /^ok 1 - finishes$/m, 'the TAP report has what finished');
  assert.equal(hang[0], 'running: waits forever > inner');
  assert.match(hang.find((line) => line.startsWith('main thread:')) ?? '', /idle/);
  assert.match(hang.find((line) => line.startsWith('worker 1')) ?? '', /parkedInAtomicsWait/);
});

test('a file that ends within its bound has its TAP report and no hang description', async () => {
  const file = join(workDir, 'passes.test.mjs');
  await writeFile(file, "import { test } from 'node:test'; test('one', () => {});");
  const { outcome, tap, hang } = await runNodeTestFile(process.execPath, file, { cwd: workDir, boundMs: 60_000, workDir, name: 'passes', echo: false });
  assert.deepEqual([outcome.status, outcome.timedOut, hang], [0, false, []]);
  assert.match(tap, /^# pass 1$/m);
});

test('a hang with no test begun, or no report written, says so', () => {
  assert.deepEqual(describeHang('', ''), [
    'running: no test had begun (the file was still loading)',
    'no diagnostic report: the file had not loaded its reporter yet, or did not answer SIGUSR2 in time (a thread blocked outside JavaScript?)',
  ]);
  const progress = ['start\t0\ta', 'end\t0\ta', 'start\t0\tb', 'start\t1\tb1', 'end\t1\tb1', 'start\t1\tb2', ''].join('\n');
  assert.equal(describeHang(progress, '')[0], 'running: b > b2');
});
