// weft/web-worker in Node 20, Node 22, Deno and Bun (this file runs in each): the web's Worker
// and worker globals, one scenario per child process (test/fixtures/web-worker/child.mjs), each
// of which must end by itself with nothing left running.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const isDeno = typeof globalThis.Deno !== 'undefined';

function runScenario(scenario) {
  return new Promise((resolve) => {
    execFile(process.execPath, [fileURLToPath(new URL('../fixtures/web-worker/child.mjs', import.meta.url)), scenario], { timeout: 30_000 }, (error, stdout, stderr) => {
      const lines = stdout.trim().split('\n');
      resolve({ code: error ? (error.code ?? error.signal) : 0, killed: error?.killed ?? false, result: lines.length > 0 && lines.at(-1) !== '' ? JSON.parse(lines.at(-1)) : undefined, stderr });
    });
  });
}

async function scenario(name) {
  const child = await runScenario(name);
  assert.equal(child.killed, false, `the process did not end by itself within 30 s: ${child.stderr}`);
  assert.equal(child.code, 0, child.stderr);
  return child.result;
}

test('a module worker sees the web worker globals, gets messages posted before it listened, shares memory and modules, fetches file: URLs, and starts nested workers', async () => {
  assert.deepEqual(await scenario('module'), {
    describe: { ready: true, selfIsGlobal: true, name: 'glue-thread', location: true, inScope: true, cores: true, importScripts: 'TypeError' },
    echo: { order: 1, bytes: 64 },
    transferred: 0,
    wasm: { exports: true },
    shared: 42,
    nested: { nested: { nestedScope: true, fromNested: 1 } },
  });
});

test('a classic worker runs in the global scope, with importScripts of file: and data: URLs', async () => {
  assert.deepEqual(await scenario('classic'), { fromLib: 'lib', fromData: 42, fromWorker: 'worker', echo: 'hello' });
});

test('workers from blob: URLs (read when made, so revoking after does not matter) and data: URLs', async () => {
  assert.deepEqual(await scenario('urls'), { blob: 42, module: 'function', data: 42, classic: 'function' });
});

test('a listener that throws is the creator\'s error event and the worker goes on; a script that fails to load is an error event; http URLs are refused', async () => {
  assert.deepEqual(await scenario('errors'), {
    error: { message: 'Uncaught Error: thrown by a listener', error: 'thrown by a listener' },
    afterwards: { order: 2, bytes: 8 },
    loadError: true,
    badUrl: 'SecurityError',
  });
});

test('close() in a worker ends it after the running task; nothing posted after close arrives', async () => {
  assert.deepEqual(await scenario('close'), ['closing']);
});

test('a listener keeps the process alive until the worker answers', async () => {
  assert.equal(await scenario('listened'), 'late');
});

test('the workers a worker made end with it', async () => {
  const result = await scenario('nested-end');
  assert.equal(result.counted, true);
  // Why Deno differs: its node:worker_threads does not end a terminated worker's own workers
  // (they end with the process, which this scenario's clean exit shows).
  assert.equal(result.stopped, !isDeno);
});
