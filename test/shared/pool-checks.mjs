// Checks of the pool's main behaviours that run unchanged in Node (test/node/pool-shared.test.mjs)
// and in Chromium (test/browser/pages/pool.html). Each check gets { createPool, errors, wasm }
// where wasm(name) is the URL of wasm/<name>.wasm, and throws on failure.

function equal(actual, expected, what) {
  const a = JSON.stringify(actual, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const e = JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`${what}: expected a rejection, but it resolved`);
}

function readCString(memory, pointer) {
  const bytes = new Uint8Array(memory.buffer);
  let end = pointer;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.slice(pointer, end));
}

export const poolChecks = {
  async 'every wasm number type crosses both ways'({ createPool, wasm }) {
    const pool = await createPool({ module: wasm('numbers'), threads: 2 });
    try {
      equal(await pool.run('echo_i32', -5), -5, 'i32');
      equal(await pool.run('echo_i64', 2n ** 60n), 2n ** 60n, 'i64');
      equal(await pool.run('echo_f32', 0.1), Math.fround(0.1), 'f32');
      equal(await pool.run('echo_f64', 0.1), 0.1, 'f64');
      equal(await pool.run('mixed', 1, 2n, 0.5, 0.25), 3.75, 'mixed');
      equal(await pool.run('pair', 3, 4), [4, 3], 'multi-value');
      equal(await pool.run('nothing'), undefined, 'no result');
    } finally {
      await pool.close();
    }
  },

  async 'a trap rejects with RuntimeError and thread id, and the pool keeps serving'({ createPool, wasm }) {
    const pool = await createPool({ module: wasm('numbers'), threads: 2 });
    try {
      const error = await rejection(pool.run('trap_unreachable'), 'trap');
      if (!(error instanceof WebAssembly.RuntimeError)) throw new Error(`trap gave ${error?.constructor?.name}: ${error}`);
      if (!(error.threadId >= 0 && error.threadId < 2)) throw new Error(`threadId ${error.threadId}`);
      equal(await pool.run('echo_i32', 9), 9, 'after the trap');
    } finally {
      await pool.close();
    }
  },

  async 'hello from every thread, exact atomic count, own TLS and stacks'({ createPool, wasm }) {
    const threads = 3;
    const pool = await createPool({ module: wasm('hello'), threads });
    try {
      const greetings = await Promise.all([0, 1, 2].map((t) => pool.runOn(t, 'hello', t)));
      equal(greetings.map((p) => readCString(pool.memory, p)), ['hello from thread 0', 'hello from thread 1', 'hello from thread 2'], 'greetings');
      await pool.broadcast('count', 50_000);
      equal(await pool.run('counter_value'), 150_000, 'counter');
      await pool.broadcast('tls_calls');
      equal(await pool.broadcast('tls_calls'), [2, 2, 2], 'TLS');
      const sums = await Promise.all(Array.from({ length: 30 }, (_, i) => pool.run('stack_check', 150, i % 3)));
      if (sums.includes(-1)) throw new Error('a shadow stack was corrupted');
      equal(new Set(sums).size, 3, 'stack checksums per seed');
    } finally {
      await pool.close();
    }
  },

  async 'parallelFor and 20,000 queued tasks lose nothing'({ createPool, wasm }) {
    const pool = await createPool({ module: wasm('hello'), threads: 2 });
    try {
      const chunks = await pool.parallelFor('sum_range', 0, 9000, { chunkSize: 100 });
      equal(chunks.reduce((a, b) => a + b, 0), (9000 * 8999) / 2, 'parallelFor sum');
      const tasks = [];
      for (let i = 0; i < 20_000; i++) tasks.push(pool.run('sum_range', i, i + 1));
      const results = await Promise.all(tasks);
      results.forEach((value, i) => {
        if (value !== i) throw new Error(`task ${i} gave ${value}`);
      });
    } finally {
      await pool.close();
    }
  },

  async 'close() stops a busy thread and rejects what is left'({ createPool, errors, wasm }) {
    const pool = await createPool({ module: wasm('numbers'), threads: 1 });
    // Caught at once: close() rejects them before they are awaited.
    const outcomes = [pool.run('spin_forever'), pool.run('echo_i32', 1)].map((task) => task.then(() => 'resolved', (error) => error));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await pool.close();
    for (const error of await Promise.all(outcomes)) {
      if (!(error instanceof errors.PoolClosedError)) throw new Error(`got ${error}`);
    }
    const later = await rejection(pool.run('echo_i32', 1), 'run after close');
    equal(later.code, 'WEFT_POOL_CLOSED', 'code');
  },

  async 'the message wake mode works where Atomics.waitAsync is missing'({ createPool, wasm }) {
    const pool = await createPool({ module: wasm('numbers'), threads: 2, wake: 'message' });
    try {
      const tasks = [];
      for (let i = 0; i < 3000; i++) tasks.push(pool.run('echo_i32', i));
      const results = await Promise.all(tasks);
      equal(results[2999], 2999, 'last result');
      equal(await pool.run('echo_i32', 1), 1, 'one more');
    } finally {
      await pool.close();
    }
  },

  async 'bad inputs give typed errors'({ createPool, errors, wasm }) {
    const notWasm = await rejection(createPool({ module: new TextEncoder().encode('<!doctype html>') }), 'not wasm');
    if (!(notWasm instanceof errors.InvalidModuleError)) throw new Error(`not wasm: ${notWasm}`);
    const unshared = await rejection(createPool({ module: wasm('unshared-memory') }), 'unshared');
    if (!(unshared instanceof errors.MemoryImportError)) throw new Error(`unshared: ${unshared}`);
    const threads = await rejection(createPool({ module: wasm('numbers'), threads: 0 }), 'threads 0');
    if (!(threads instanceof errors.InvalidOptionError)) throw new Error(`threads: ${threads}`);
    const pool = await createPool({ module: wasm('numbers'), threads: 1 });
    try {
      const missing = await rejection(pool.run('missing'), 'missing export');
      if (!(missing instanceof errors.MissingExportError)) throw new Error(`missing: ${missing}`);
    } finally {
      await pool.close();
    }
  },
};
