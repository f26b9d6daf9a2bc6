// A worker killed from outside (not by a pool method: test/fixtures/faults/killable-platform.mjs
// keeps the Worker objects and terminates one) while tasks are in flight, during start-up, under
// a wasi-threads program and under a wasm-bindgen pool. Each scenario runs in a child process
// (test/fixtures/faults/fault-child.mjs) that must print how every promise settled and then exit
// by itself within the time bound.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CHILD_MS = 30_000;

function runScenario(scenario) {
  return new Promise((resolve) => {
    const started = Date.now();
    const script = fileURLToPath(new URL('../fixtures/faults/fault-child.mjs', import.meta.url));
    execFile(process.execPath, [script, scenario], { timeout: CHILD_MS }, (error, stdout, stderr) => {
      const ms = Date.now() - started;
      assert.equal(error?.killed ?? false, false, `the ${scenario} child did not exit within ${CHILD_MS} ms: ${stdout}${stderr}`);
      assert.equal(error ? error.code ?? error.signal : 0, 0, `the ${scenario} child failed: ${stderr}`);
      const report = JSON.parse(stdout.trim().split('\n').at(-1));
      assert.equal(report.scenario, scenario);
      resolve({ ...report, ms });
    });
  });
}

function assertWorkerExit(outcome, threadId, message) {
  assert.equal(outcome.status, 'rejected', `expected a rejection, got ${JSON.stringify(outcome)}`);
  assert.deepEqual({ name: outcome.name, code: outcome.code, threadId: outcome.threadId }, { name: 'WorkerExitError', code: 'WEFT_WORKER_EXIT', threadId }, outcome.message);
  assert.match(outcome.message, message);
}

function assertStartFailed(outcome, message) {
  assert.equal(outcome.status, 'rejected', `expected a rejection, got ${JSON.stringify(outcome)}`);
  assert.deepEqual({ name: outcome.name, code: outcome.code }, { name: 'WorkerStartError', code: 'WEFT_WORKER_START' }, outcome.message);
  assert.match(outcome.message, message);
}

function assertClosedAfter(report) {
  assert.deepEqual({ name: report.later.name, code: report.later.code }, { name: 'PoolClosedError', code: 'WEFT_POOL_CLOSED' }, 'a call after the death');
  assert.equal(report.closed, true);
  assert.deepEqual(report.close, { status: 'resolved' }, 'close() after the pool closed itself');
}

test('a pool worker killed with tasks running and queued: every task rejects with WorkerExitError, later ones with PoolClosedError, the process exits', async () => {
  const report = await runScenario('pool-run');
  assert.equal(report.tasks.length, 55);
  for (const outcome of report.tasks) assertWorkerExit(outcome, 1, /^Worker 1 ended unexpectedly \(.*\); the pool closed itself/);
  assertClosedAfter(report);
});

test('a pool worker killed under load (20,000 tasks): the settled stay settled, every other task rejects with WorkerExitError, none runs twice, the process exits', async () => {
  const report = await runScenario('pool-load');
  assert.equal(report.killed, true);
  assert.deepEqual({ hung: report.hung, other: report.other, wrongValue: report.wrongValue, ranTwice: report.ranTwice }, { hung: 0, other: [], wrongValue: 0, ranTwice: 0 });
  assert.ok(report.resolved >= 5_000, `${report.resolved} resolved before the kill`);
  assert.equal(report.resolved + report.workerExit, 20_000);
  assert.equal(report.ran, report.resolved + report.unsettledRan, 'tasks that ran: the resolved ones and those whose thread died after they ran');
  assert.equal(report.counter, report.ran);
  assertClosedAfter(report);
});

test('a pool worker killed during start-up: createPool rejects with WorkerStartError, the process exits', async () => {
  const report = await runScenario('pool-start');
  assertStartFailed(report.start, /^Worker 1 failed to start/);
});

test("runWasi: the worker of _start killed mid-run rejects the run with WorkerExitError, the process exits", async () => {
  const report = await runScenario('wasi-main');
  assert.equal(report.threadRan, true, 'the spawned thread ran before the kill');
  assertWorkerExit(report.run, 0, /^A worker of the program ended unexpectedly/);
});

test("runWasi: a spawned thread's worker killed mid-run rejects the run with WorkerExitError, the process exits", async () => {
  const report = await runScenario('wasi-thread');
  assert.equal(report.threadRan, true, 'the spawned thread ran before the kill');
  assertWorkerExit(report.run, 1, /^A worker of the program ended unexpectedly/);
});

test('runWasi: its first worker killed during start-up rejects with WorkerStartError, the process exits', async () => {
  const report = await runScenario('wasi-start');
  assertStartFailed(report.run, /^Worker 0 failed to start/);
});

test('a wasm-bindgen thread killed with calls running and queued: every call rejects with WorkerExitError, later ones with PoolClosedError, the process exits', async () => {
  const report = await runScenario('bindgen-run');
  assert.equal(report.calls.length, 23);
  for (const outcome of report.calls) assertWorkerExit(outcome, 1, /^Thread 1 ended unexpectedly \(.*\); the pool closed itself/);
  assertClosedAfter(report);
});

test('a wasm-bindgen thread killed during start-up: createBindgenPool rejects with WorkerStartError, the process exits', async () => {
  const report = await runScenario('bindgen-start');
  assertStartFailed(report.start, /^Worker 1 failed to start/);
});
