import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPool, PoolClosedError } from '../../dist/node.js';
import { wasmUrl } from '../fixtures/paths.mjs';
import { runtimeLimit } from '../fixtures/runtime-limits.mjs';

let pool;
before(async () => {
  pool = await createPool({ module: wasmUrl('numbers'), threads: 2 });
});
after(() => pool.close());

test('a trap rejects with WebAssembly.RuntimeError carrying thread id and export; the pool keeps serving', async () => {
  const error = await pool.run('trap_unreachable').then(() => assert.fail('should trap'), (e) => e);
  assert.ok(error instanceof WebAssembly.RuntimeError, `got ${error?.constructor?.name}`);
  assert.match(error.message, /unreachable/i); // V8 "unreachable", JavaScriptCore "Unreachable code should not be executed"
  assert.ok(Number.isInteger(error.threadId) && error.threadId >= 0 && error.threadId < pool.threads);
  assert.equal(error.exportName, 'trap_unreachable');
  // The thread's own stack with its wasm frame: V8 names it (wasm-function[…]), Bun prints every wasm frame as "at unknown".
  assert.match(error.stack, /trap_unreachable|wasm|^ +at unknown$/m);
  await assert.rejects(pool.run('trap_div_zero', 0), { name: 'RuntimeError', message: /divi/i }); // V8 "divide by zero", JavaScriptCore "Division by zero"
  assert.equal(typeof (await pool.run('trap_div_zero', 1)), 'number');
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.run('echo_i32', i)));
  assert.equal(results[99], 99);
});

test('many traps at once: every one rejects, none is lost', async () => {
  const outcomes = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => (i % 2 ? pool.run('trap_unreachable') : pool.run('echo_i32', i))));
  outcomes.forEach((outcome, i) => {
    if (i % 2) assert.equal(outcome.status, 'rejected');
    else assert.deepEqual(outcome, { status: 'fulfilled', value: i });
  });
});

const busyLoopTest = 'close() ends a busy-looping thread, rejects running and queued tasks, and later calls';
test(busyLoopTest, { skip: runtimeLimit(busyLoopTest) }, async () => {
  const busy = await createPool({ module: wasmUrl('numbers'), threads: 1 });
  // Each outcome is caught at once: close() rejects them before the test awaits them.
  const outcomes = [busy.run('spin_forever'), busy.run('wait_forever'), busy.run('echo_i32', 1)].map((task) => task.then(() => 'resolved', (error) => error));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await busy.close();
  for (const outcome of await Promise.all(outcomes)) assert.ok(outcome instanceof PoolClosedError, String(outcome));
  await assert.rejects(busy.run('echo_i32', 1), { code: 'WEFT_POOL_CLOSED' });
  await assert.rejects(busy.broadcast('echo_i32', 1), PoolClosedError);
  await busy.close();
  assert.equal(busy.closed, true);
});

test('Symbol.asyncDispose closes the pool', async () => {
  const disposable = await createPool({ module: wasmUrl('numbers'), threads: 1 });
  await disposable[Symbol.asyncDispose]();
  await assert.rejects(disposable.run('nothing'), PoolClosedError);
});
