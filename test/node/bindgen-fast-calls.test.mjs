// Fast wasm-bindgen calls (issue 13.3): calls whose values allow it go through a shared-memory
// slot and arena instead of postMessage. Each check runs the same calls with the fast path on,
// off (fastCalls: false: every call by message, as before) and with message wake-ups (what
// Firefox, which has no Atomics.waitAsync, gets), and compares what comes back.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError, InvalidOptionError, MissingExportError, PoolClosedError, WorkerExitError } from '../../dist/errors/index.js';
import { createBindgenPool, transfer } from '../../dist/wasm-bindgen/node.js';
import * as fixtureGlue from '../fixtures/wasm-bindgen/bindgen_fixture.js';

const glue = new URL('../fixtures/wasm-bindgen/bindgen_fixture.js', import.meta.url);
const wasm = new URL('../../wasm/bindgen_fixture_bg.wasm', import.meta.url);
const CHILD_TIMEOUT_MS = 60_000;

const ROUTES = {
  'shared memory': { fastCalls: true },
  'shared memory, message wake-ups': { fastCalls: true, wake: 'message' },
  message: { fastCalls: false },
};

async function withPool(options, body) {
  const pool = await createBindgenPool({ glue, wasm, threads: 2, ...options });
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

/** A view of part of a bigger buffer, so that what the thread gets is visibly a copy. */
function partOf(bytes) {
  const buffer = new ArrayBuffer(bytes.length + 16);
  const view = new Uint8Array(buffer, 8, bytes.length);
  view.set(bytes);
  return view;
}

const ENCODABLE = () => [
  0, -0, 3.25, NaN, -Infinity, true, false, undefined, null, 0n, -(2n ** 63n), 2n ** 63n - 1n, '', 'héllo ✓ 🎉',
  new Int8Array([-1, 2]), new Uint8Array([1, 2, 255]), new Uint8ClampedArray([0, 255]), new Int16Array([-300]), new Uint16Array([65535]),
  new Int32Array([-7]), new Uint32Array([2 ** 32 - 1]), new Float32Array([1.5]), new Float64Array([Math.PI]), new BigInt64Array([-5n]),
  new BigUint64Array([2n ** 64n - 1n]), new DataView(new Uint8Array([4, 5, 6]).buffer), new Uint8Array([7, 8]).buffer, partOf([1, 2, 3]), Buffer.from('buf'),
];
// Values the arena cannot carry: they take the message path whatever the route.
const NOT_ENCODABLE = () => [{ a: 1, b: [2, 3] }, [1, 2], new Map([[1, 2]]), 2n ** 64n, 'lone \ud800', new Uint8Array(new SharedArrayBuffer(2)), new Date(0), new Uint8Array(0)];

/** The value, with its prototype named, so that deepEqual also compares types. */
function typed(value) {
  return { type: value === null || typeof value !== 'object' ? typeof value : Object.getPrototypeOf(value).constructor.name, value };
}

test('every encodable value and every fallback comes back the same on every route; only encodable calls use shared memory', async () => {
  const results = {};
  for (const [route, options] of Object.entries(ROUTES)) {
    results[route] = await withPool(options, async (pool) => {
      const before = pool.sharedMemoryCalls;
      const echoed = [];
      for (const value of ENCODABLE()) echoed.push(typed(await pool.runOn(0, 'echo', value)));
      const inspected = await pool.runOn(1, 'inspect', ...ENCODABLE());
      const fast = pool.sharedMemoryCalls - before;
      const slow = [];
      for (const value of NOT_ENCODABLE()) slow.push(typed(await pool.run('echo', value)));
      slow.push(typed(await pool.run('describe', new Uint8Array([1, 2, 3]), 'object result')));
      const moved = new Uint8Array([5, 6, 7]);
      slow.push(typed(await pool.run('echo', transfer(moved, [moved.buffer]))), moved.byteLength);
      return { echoed, inspected, slow, fast, fallbacks: pool.sharedMemoryCalls - before - fast };
    });
  }
  const expected = ENCODABLE().map((value) => typed(structuredClone(value)));
  for (const [route, result] of Object.entries(results)) {
    assert.deepEqual(result.echoed, expected, `${route}: echoed values`);
    assert.ok(Object.is(result.echoed[1].value, -0), `${route}: -0`);
    assert.equal(result.inspected.split('|').length, ENCODABLE().length);
    assert.doesNotMatch(result.inspected, /owned=false/, `${route}: the glue gets copies it may keep`);
    assert.deepEqual(result.slow, results.message.slow, `${route}: fallbacks`);
    // describe's arguments go through shared memory; its result, an object, comes back by message.
    assert.equal(result.fallbacks, ROUTES[route].fastCalls ? 1 : 0, `${route}: no call with values the arena cannot carry went through shared memory`);
  }
  assert.equal(results['shared memory'].inspected, results.message.inspected, 'the thread sees the same types');
  assert.equal(results['shared memory'].fast, ENCODABLE().length + 1, 'every encodable call went through shared memory');
  assert.equal(results['shared memory, message wake-ups'].fast, ENCODABLE().length + 1);
  assert.equal(results.message.fast, 0, 'fastCalls: false sends every call by message');
  assert.equal(results.message.slow.at(-1), 0, 'a transferred buffer moved');
});

const VIEW = 'view of shared memory';
const COPY = 'owned copy';
const sum = (bytes) => bytes.reduce((a, b) => a + b, 0);
const bytesFrom = (length, seed) => new Uint8Array(length).map((_, i) => (i * 7 + seed) & 0xff);

/** The result of `name(...args)` on thread 0, and what the glue's passArray8ToWasm0 was given. */
async function passed(pool, name, ...args) {
  const result = await pool.runOn(0, name, ...args);
  return { result, passed: await pool.runOn(0, 'last_passed') };
}

test('glue that only borrows its slice (the generated &[u8] / &mut [u8] shapes) gets a view of the arena on the fast route, with the same results', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    await withPool(options, async (pool) => {
      const expected = options.fastCalls ? VIEW : COPY;
      const before = pool.sharedMemoryCalls;
      const bytes = bytesFrom(100_000, 3);
      assert.deepEqual(await passed(pool, 'sum_bytes', bytes), { result: sum(bytes), passed: expected }, `${route}: export`);
      const part = partOf([9, 8, 7]);
      assert.deepEqual(await passed(pool, 'sum_bytes', part), { result: 24, passed: expected }, `${route}: a view of part of a buffer`);
      assert.deepEqual(await passed(pool, 'sum_bytes', Buffer.from([1, 2, 3])), { result: 6, passed: expected }, `${route}: a Buffer`);
      assert.deepEqual(await passed(pool, 'count_bytes', bytes), { result: bytes.length, passed: expected }, `${route}: the bench's count_bytes`);
      const filled = bytesFrom(1000, 1);
      assert.deepEqual(await passed(pool, 'fill_bytes', filled, 7), { result: undefined, passed: expected }, `${route}: &mut [u8] written back`);
      assert.deepEqual(filled, bytesFrom(1000, 1), `${route}: the write-back does not reach the caller, as with structured clone`);
      const total = await pool.create('ByteTotal');
      assert.equal(await total.add(bytes), sum(bytes), route);
      assert.equal(await pool.runOn(0, 'last_passed'), expected, `${route}: method`);
      assert.equal(await pool.callStatic('ByteTotal', 'of', part), 24, route);
      assert.equal(await pool.runOn(0, 'last_passed'), expected, `${route}: static function`);
      await total.free();
      assert.equal(pool.sharedMemoryCalls - before, options.fastCalls ? 16 : 0, `${route}: calls through shared memory`);
    });
  }
});

test('glue that keeps its argument, or whose source does not show that it only borrows it, gets a copy of its own', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    await withPool(options, async (pool) => {
      const kept = bytesFrom(5000, 11);
      assert.deepEqual(await passed(pool, 'keep_bytes', kept), { result: sum(kept), passed: COPY }, `${route}: kept`);
      const next = bytesFrom(5000, 200);
      assert.deepEqual(await passed(pool, 'sum_bytes', next), { result: sum(next), passed: options.fastCalls ? VIEW : COPY }, route);
      assert.equal(await pool.runOn(0, 'kept_bytes_sum'), sum(kept), `${route}: the kept argument still holds its own bytes after the arena was reused`);
      for (const name of ['sum_bytes_minified', 'sum_bytes_bound']) {
        assert.deepEqual(await passed(pool, name, next), { result: sum(next), passed: COPY }, `${route}: ${name}`);
      }
    });
  }
});

test('an async glue function that reads its borrowed slice after an await still sees its own bytes: the arena waits for its answer', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    await withPool({ ...options, threads: 1 }, async (pool) => {
      const inputs = [bytesFrom(4096, 1), bytesFrom(4096, 50), bytesFrom(4096, 99), bytesFrom(4096, 150)];
      const names = ['sum_bytes_later', 'sum_bytes', 'sum_bytes_later', 'sum_bytes'];
      // Not awaited one by one: each next call is queued while the one before still awaits.
      const results = await Promise.all(inputs.map((bytes, i) => pool.run(names[i], bytes)));
      assert.deepEqual(results, inputs.map(sum), route);
      assert.equal(await pool.run('last_passed'), options.fastCalls ? VIEW : COPY, route);
    });
  }
});

test('errors are the same on every route: class, message, thread and export', async () => {
  const seen = {};
  for (const [route, options] of Object.entries(ROUTES)) {
    seen[route] = await withPool(options, async (pool) => {
      const errors = [];
      for (const call of [() => pool.runOn(1, 'panic'), () => pool.runOn(0, 'trap'), () => pool.run('no_such_export', 1), () => pool.run('add', () => 1, 2)]) {
        const error = await call().then(() => assert.fail('expected a rejection'), (e) => e);
        errors.push({ class: error.constructor.name, message: error.message, threadId: error.threadId, exportName: error.exportName });
      }
      assert.equal(await pool.run('add', 2, 3), 5, `${route}: still usable`);
      return errors;
    });
  }
  assert.equal(seen.message[0].class, 'Error');
  assert.equal(seen.message[1].class, 'RuntimeError');
  assert.equal(seen.message[2].class, MissingExportError.name);
  assert.equal(seen.message[3].class, InvalidArgumentError.name);
  for (const route of Object.keys(ROUTES)) assert.deepEqual(seen[route], seen.message, route);
});

test('remote handles: constructors, methods and handles among the arguments go through shared memory, with the same results', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    await withPool(options, async (pool) => {
      const builder = await pool.create('wbg_rayon_PoolBuilder', 3);
      assert.equal(builder.className, 'wbg_rayon_PoolBuilder', route);
      const before = pool.sharedMemoryCalls;
      assert.equal(await builder.numThreads(), 3, route);
      assert.equal(await builder.threads, 3, `${route}: getter`);
      assert.equal(await pool.run('threads_of', builder, 4), 7, `${route}: a handle among the arguments`);
      assert.equal(await pool.run('threads_of', builder, 4n).catch((e) => e.constructor.name), 'TypeError', `${route}: the glue's own error`);
      await builder.free();
      await assert.rejects(builder.numThreads(), InvalidArgumentError);
      assert.equal(pool.sharedMemoryCalls - before, options.fastCalls ? 5 : 0, `${route}: calls through shared memory`);
    });
  }
});

test('a thread runs its calls in the order they were made, fast and message calls mixed', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    await withPool(options, async (pool) => {
      const values = [];
      for (let i = 0; i < 60; i++) values.push(i % 3 === 0 ? { i } : i % 3 === 1 ? i : new Uint8Array([i]));
      const counts = await Promise.all(values.map((value) => pool.runOn(1, 'record', value)));
      assert.deepEqual(counts, values.map((_, i) => i + 1), `${route}: results in order`);
      assert.deepEqual(await pool.runOn(1, 'recorded'), values.map((v) => (typeof v === 'object' && !ArrayBuffer.isView(v) ? JSON.stringify(v) : String(v))), `${route}: calls in order`);
      // Calls not aimed at a thread share one queue; each thread still runs one at a time.
      const sent = Array.from({ length: 40 }, (_, i) => (i % 2 ? { i } : i));
      assert.deepEqual(await Promise.all(sent.map((value) => pool.run('echo', value))), sent, route);
    });
  }
});

test('arguments and results bigger than the arena: the first goes by message with a bigger arena, the next through shared memory', async () => {
  await withPool({ fastCalls: true, threads: 1 }, async (pool) => {
    const big = new Uint8Array(3 << 20).map((_, i) => i & 0xff);
    const before = pool.sharedMemoryCalls;
    const first = await pool.run('echo', big);
    assert.equal(pool.sharedMemoryCalls, before, 'the first big call went by message');
    const second = await pool.run('echo', big);
    assert.equal(pool.sharedMemoryCalls, before + 1, 'the next one went through the grown arena');
    for (const result of [first, second]) assert.ok(result instanceof Uint8Array && result.length === big.length && result.every((v, i) => v === (i & 0xff)));
    for (const value of [1, 2]) {
      const result = await pool.run('filled', 6 << 20, value);
      assert.ok(result instanceof Uint8Array && result.length === 6 << 20 && result.every((v) => v === value), 'a result bigger than the arena');
    }
    const huge = new Uint8Array(80 << 20);
    assert.equal((await pool.run('echo', huge)).length, huge.length, 'past the largest arena: by message');
    assert.equal(pool.sharedMemoryCalls, before + 3);
  });
});

test('close() while a fast call runs rejects it with PoolClosedError; later calls too', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    const pool = await createBindgenPool({ glue, wasm, threads: 2, ...options });
    const before = pool.sharedMemoryCalls;
    const blocked = pool.runOn(0, 'block');
    const queued = pool.runOn(0, 'add', 1, 2);
    assert.equal(await pool.runOn(1, 'add', 1, 2), 3);
    assert.equal(pool.sharedMemoryCalls - before, options.fastCalls ? 2 : 0, `${route}: block and add went through shared memory`);
    const rejections = Promise.all([assert.rejects(blocked, PoolClosedError, route), assert.rejects(queued, PoolClosedError, route)]);
    await pool.close();
    await rejections;
    await assert.rejects(pool.run('add', 1, 2), PoolClosedError, route);
  }
});

test('a worker killed from outside during a fast call rejects it with WorkerExitError and closes the pool', async () => {
  for (const [route, options] of Object.entries(ROUTES)) {
    const workers = [];
    const createWorker = () => {
      const worker = new Worker(new URL('../fixtures/wasm-bindgen/thread-node.mjs', import.meta.url));
      workers.push(worker);
      return worker;
    };
    const pool = await createBindgenPool({ glue: fixtureGlue, wasm, threads: 2, createWorker, ...options });
    const blocked = pool.runOn(1, 'block');
    const queued = pool.runOn(1, 'add', 1, 1);
    assert.equal(await pool.runOn(0, 'add', 1, 2), 3);
    const rejections = Promise.all([assert.rejects(blocked, (error) => error instanceof WorkerExitError && error.threadId === 1, route), assert.rejects(queued, WorkerExitError, route)]);
    await workers[1].terminate();
    await rejections;
    assert.equal(pool.closed, true);
    await pool.close();
  }
});

test('a process whose fast call was cut short by close() exits by itself', { skip: process.versions.deno ?? process.versions.bun ? 'starts a Node child process' : undefined }, async () => {
  const script = fileURLToPath(new URL('../fixtures/wasm-bindgen/node/fast-call-close.mjs', import.meta.url));
  for (const wake of ['wait-async', 'message']) {
    const child = await new Promise((resolve) => {
      execFile(process.execPath, [script, wake], { timeout: CHILD_TIMEOUT_MS }, (error, stdout, stderr) => resolve({ error, stdout, stderr }));
    });
    assert.equal(child.error, null, `${wake}: ${child.error?.killed ? 'did not exit' : child.stderr}`);
    assert.deepEqual(JSON.parse(child.stdout), { fast: 1, rejected: 'PoolClosedError' }, wake);
  }
});

test('fastCalls and wake are checked', async () => {
  await assert.rejects(createBindgenPool({ glue, wasm, fastCalls: 'yes' }), (error) => error instanceof InvalidOptionError && error.option === 'fastCalls');
  await assert.rejects(createBindgenPool({ glue, wasm, wake: 'poll' }), (error) => error instanceof InvalidOptionError && error.option === 'wake');
});
