// Checks of wasm-bindgen pools (weft/wasm-bindgen) that run unchanged in Node
// (test/node/bindgen-shared.test.mjs) and in Chromium (test/browser/pages/bindgen.html).
// Context: { createBindgenPool, errors, fixture, oxipng, images } where
//   fixture = { glue, legacyGlue, wasm, namespace, createWorker }: the hand-written glue in the
//     shape of wasm-bindgen's (test/fixtures/wasm-bindgen/; 0.2.93+ object-form init and
//     0.2.92 positional init) over wasm/bindgen_fixture_bg.wasm; `namespace` is the imported
//     glue and `createWorker` makes a worker that imports it statically (as bundlers need);
//   oxipng = { glue, optimiseSingle(png, level) }: @jsquash/oxipng's real wasm-bindgen-rayon
//     build (codec/pkg-parallel) and its single-threaded build (codec/pkg) as the reference;
//   images = makeTestImages() from png-images.mjs.

function equal(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function rejects(promise, check, what) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`${what}: expected a rejection, but it resolved`);
  check(error);
}

/** Runs body(pool) and closes the pool whatever happens (no `await using` in Node 20). */
async function withPool(poolPromise, body) {
  const pool = await poolPromise;
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Counters the fixture keeps in shared memory (see wasm/src/bindgen_fixture_bg.wat). */
function fixtureCounters(memory) {
  const words = new Int32Array(memory.buffer);
  return { started: words[1024 / 4], destroyedOwn: words[1028 / 4], destroyedOther: words[1032 / 4] };
}

/** A value as text that tells its type and contents apart (-0, NaN, BigInts, typed arrays, buffers). */
function show(value) {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value !== 'object' || value === null) return `${typeof value}:${String(value)}`;
  const type = Object.prototype.toString.call(value).slice(8, -1);
  if (value instanceof ArrayBuffer) return `${type}[${new Uint8Array(value).join(',')}]`;
  if (ArrayBuffer.isView(value)) return `${type}[${new Uint8Array(value.buffer, value.byteOffset, value.byteLength).join(',')}]`;
  return `${type}:${JSON.stringify(value)}`;
}

export const bindgenChecks = {
  async 'object-form glue (0.2.93+): every thread initialized with the object form, one instance each'({ createBindgenPool, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 3 }), async (pool) => {
      equal(pool.threads, 3, 'threads');
      equal((await pool.broadcast('thread_index')).sort(), [0, 1, 2], 'one instance per thread');
      equal(await pool.broadcast('init_form'), ['object', 'object', 'object'], 'init form');
      equal(await pool.run('add', 40, 2), 42, 'add');
    });
  },

  async 'positional-form glue (0.2.92): init(module, memory) on every thread'({ createBindgenPool, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.legacyGlue, wasm: fixture.wasm, threads: 2 }), async (pool) => {
      equal((await pool.broadcast('thread_index')).sort(), [0, 1], 'one instance per thread');
      equal(await pool.broadcast('init_form'), ['positional', 'positional'], 'init form');
    });
  },

  async 'forcing the object form on 0.2.92 glue fails to start with the glue\'s error, no hang'({ createBindgenPool, errors, fixture }) {
    await rejects(createBindgenPool({ glue: fixture.legacyGlue, wasm: fixture.wasm, threads: 1, initForm: 'object' }), (error) => {
      if (!(error instanceof errors.WorkerStartError)) throw new Error(`expected WorkerStartError, got ${error?.name}: ${error?.message}`);
    }, 'initForm object on legacy glue');
  },

  async 'threadStackSize reaches object-form glue as thread_stack_size'({ createBindgenPool, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 1, threadStackSize: 262144 }), async (pool) => {
      equal((await pool.run('counters')).stackSize, 262144, 'thread_stack_size');
    });
  },

  async 'arguments and results travel by structured clone; async exports are awaited'({ createBindgenPool, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 2 }), async (pool) => {
      const result = await pool.runOn(1, 'describe', new Uint8Array([1, 2, 3, 4]), 'bytes');
      equal(result.label, 'bytes on 1', 'label');
      equal(result.sum, 10, 'sum');
      if (!(result.copy instanceof Uint8Array) || !sameBytes(result.copy, [4, 3, 2, 1])) throw new Error(`copy: ${result.copy}`);
      equal(await Promise.all([1, 2, 3, 4, 5].map((v) => pool.run('later', v))), [2, 4, 6, 8, 10], 'async export');
    });
  },

  async 'calls through shared memory and by message give the same values and errors'({ createBindgenPool, fixture }) {
    const values = () => [
      0, -0, 2.5, NaN, true, false, undefined, null, -(2n ** 63n), 'héllo ✓ 🎉', new Uint8Array([1, 2, 255]), new Float64Array([Math.PI]),
      new BigInt64Array([-5n]), new DataView(new Uint8Array([4, 5]).buffer), new Uint8Array([7, 8]).buffer, { a: [1] }, 'lone \ud800', 2n ** 64n,
    ];
    const run = (fastCalls) =>
      withPool(createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 1, fastCalls }), async (pool) => {
        const seen = [];
        for (const value of values()) seen.push(show(await pool.run('echo', value)));
        seen.push(await pool.run('inspect', ...values()));
        seen.push(await pool.run('panic').then(() => 'resolved', (e) => `${e.name}: ${e.message} on ${e.threadId} in ${e.exportName}`));
        return { seen, sharedMemoryCalls: pool.sharedMemoryCalls };
      });
    const [fast, slow] = [await run(true), await run(false)];
    equal(fast.seen, slow.seen, 'the same values and errors');
    equal([fast.sharedMemoryCalls, slow.sharedMemoryCalls], [values().length - 3 + 1, 0], 'calls through shared memory (echo but of the object, the lone surrogate and the u64; panic; not inspect, which has them all)');
  },

  async 'a panic rejects that call with its message and thread id; the pool goes on'({ createBindgenPool, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 2 }), async (pool) => {
      await rejects(pool.runOn(1, 'panic'), (error) => {
        equal([error.name, error.message, error.threadId, error.exportName], ['Error', 'fixture panicked: boom', 1, 'panic'], 'panic');
      }, 'panic');
      await rejects(pool.runOn(0, 'trap'), (error) => {
        if (!(error instanceof WebAssembly.RuntimeError)) throw new Error(`expected a RuntimeError, got ${error?.name}`);
        equal(error.threadId, 0, 'trap thread id');
      }, 'trap');
      equal(await pool.broadcast('add', 1, 1), [2, 2], 'still usable');
    });
  },

  async 'a missing export or an uncloneable argument is a typed error'({ createBindgenPool, errors, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 1 }), async (pool) => {
      await rejects(pool.run('no_such_export'), (error) => {
        if (!(error instanceof errors.MissingExportError)) throw new Error(`expected MissingExportError, got ${error?.name}: ${error?.message}`);
        if (!/add/.test(error.message)) throw new Error(`the message should list the exports: ${error.message}`);
      }, 'missing export');
      await rejects(pool.run('add', () => 1, 2), (error) => {
        if (!(error instanceof errors.InvalidArgumentError)) throw new Error(`expected InvalidArgumentError, got ${error?.name}: ${error?.message}`);
      }, 'function argument');
      equal(await pool.run('add', 2, 2), 4, 'still usable');
    });
  },

  async 'close runs the glue\'s thread teardown on every thread with a heap stack, then rejects later calls'({ createBindgenPool, errors, fixture }) {
    const pool = await createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 3 });
    await pool.broadcast('thread_index');
    await pool.close();
    // Not the first instance's: it runs on the linker's static stack, which is not the heap's to free.
    equal(fixtureCounters(pool.memory), { started: 3, destroyedOwn: 2, destroyedOther: 0 }, 'teardown calls');
    equal(pool.closed, true, 'closed');
    await rejects(pool.run('add', 1, 2), (error) => {
      if (!(error instanceof errors.PoolClosedError)) throw new Error(`expected PoolClosedError, got ${error?.name}`);
    }, 'call after close');
    await pool.close();
  },

  async 'close while a call runs rejects it with PoolClosedError and still ends'({ createBindgenPool, errors, fixture }) {
    const pool = await createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 2 });
    const blocked = rejects(pool.runOn(0, 'block'), (error) => {
      if (!(error instanceof errors.PoolClosedError)) throw new Error(`expected PoolClosedError, got ${error?.name}`);
    }, 'blocked call');
    equal(await pool.runOn(1, 'add', 1, 2), 3, 'the other thread');
    await pool.close();
    await blocked;
    equal(fixtureCounters(pool.memory).destroyedOwn, 1, 'the idle thread tore down');
  },

  async 'rayonThreads with wasm-bindgen-rayon 1.2-shaped glue: threads started; with the caller\'s memory, their stacks freed at close'({ createBindgenPool, fixture }) {
    const memory = new WebAssembly.Memory({ initial: 17, maximum: 16384, shared: true });
    const pool = await createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, memory, threads: 1, rayonThreads: 2 });
    equal([pool.threads, pool.rayonThreads], [1, 2], 'threads');
    let running = 0;
    for (let tries = 0; tries < 100 && running < 2; tries++) {
      running = await pool.run('rayon_running');
      if (running < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    equal(running, 2, 'rayon threads in their loop');
    await pool.close();
    // The one caller thread is the first instance (the linker's stack): it frees only the rayon threads' blocks.
    equal(fixtureCounters(memory), { started: 3, destroyedOwn: 0, destroyedOther: 2 }, 'teardown calls');
    // A memory weft made dies with the pool: the rayon threads' blocks are not freed one by one.
    const own = await createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 1, rayonThreads: 2 });
    await own.close();
    equal(fixtureCounters(own.memory), { started: 3, destroyedOwn: 0, destroyedOther: 0 }, 'teardown calls, weft\'s memory');
  },

  async 'a rayon thread that fails closes the pool and rejects its calls, no hang'({ createBindgenPool, errors, fixture }) {
    const pool = await createBindgenPool({ glue: fixture.glue, wasm: fixture.wasm, threads: 2, rayonThreads: 1 });
    const blocked = rejects(pool.runOn(0, 'block'), (error) => {
      if (!(error instanceof errors.WorkerExitError) || !/rayon job panicked/.test(error.message)) throw new Error(`expected WorkerExitError, got ${error?.name}: ${error?.message}`);
    }, 'call waiting on the pool');
    await pool.runOn(1, 'rayon_panic').catch(() => {});
    await blocked;
    equal(pool.closed, true, 'closed');
    await pool.close();
  },

  async 'a glue namespace with a caller-made worker (the bundler route)'({ createBindgenPool, fixture }) {
    await withPool(createBindgenPool({ glue: fixture.namespace, wasm: fixture.wasm, threads: 2, createWorker: fixture.createWorker }), async (pool) => {
      equal((await pool.broadcast('thread_index')).sort(), [0, 1], 'threads');
      equal(await pool.run('add', 20, 22), 42, 'add');
    });
  },

  async 'bad options are typed errors that say what to pass'({ createBindgenPool, errors, fixture }) {
    const cases = [
      [{}, 'glue'],
      [{ glue: fixture.namespace, wasm: fixture.wasm }, 'glue'],
      [{ glue: { not: 'glue' }, createWorker: fixture.createWorker }, 'glue'],
      [{ glue: fixture.glue, rayonThreads: -1 }, 'rayonThreads'],
      [{ glue: fixture.glue, initForm: 'named' }, 'initForm'],
      [{ glue: fixture.glue, createWorker: 'thread.js' }, 'createWorker'],
      [{ glue: fixture.namespace, wasm: fixture.wasm, createWorker: () => ({}) }, 'createWorker'],
    ];
    for (const [options, option] of cases) {
      await rejects(createBindgenPool(options), (error) => {
        if (!(error instanceof errors.InvalidOptionError) || error.option !== option) throw new Error(`${JSON.stringify(Object.keys(options))}: expected InvalidOptionError for ${option}, got ${error?.name} (${error?.option}): ${error?.message}`);
      }, option);
    }
  },

  async 'oxipng (wasm-bindgen-rayon): 2 rayon threads, output byte-identical to the single-threaded build'({ createBindgenPool, oxipng, images }) {
    await withPool(createBindgenPool({ glue: oxipng.glue, rayonThreads: 2 }), async (pool) => {
      equal([pool.threads, pool.rayonThreads], [1, 2], 'threads');
      for (const { name, png } of images) {
        for (const level of [1, 3]) {
          const [expected, actual] = await Promise.all([oxipng.optimiseSingle(png, level), pool.run('optimise', png, level, false, false)]);
          if (!(actual instanceof Uint8Array) || !sameBytes(actual, expected)) throw new Error(`${name} level ${level}: ${actual?.length} bytes differ from the single-threaded ${expected.length}`);
          if (actual.length >= png.length) throw new Error(`${name} level ${level}: not smaller (${actual.length} >= ${png.length})`);
        }
      }
    });
  },

  async 'oxipng: two caller threads share one rayon pool'({ createBindgenPool, oxipng, images }) {
    await withPool(createBindgenPool({ glue: oxipng.glue, threads: 2, rayonThreads: 2 }), async (pool) => {
      const png = images[1].png;
      const expected = await oxipng.optimiseSingle(png, 2);
      const results = await Promise.all([pool.runOn(0, 'optimise', png, 2, false, false), pool.runOn(1, 'optimise', png, 2, false, false)]);
      for (const result of results) if (!sameBytes(result, expected)) throw new Error('output differs');
    });
  },

  async 'oxipng: pools started and closed again and again'({ createBindgenPool, oxipng, images }) {
    const png = images[0].png;
    const expected = await oxipng.optimiseSingle(png, 2);
    for (let round = 0; round < 4; round++) {
      const pool = await createBindgenPool({ glue: oxipng.glue, rayonThreads: 1 + (round % 2) });
      const result = await pool.run('optimise', png, 2, false, false);
      await pool.close();
      if (!sameBytes(result, expected)) throw new Error(`round ${round}: output differs`);
    }
  },

  async 'a glue that cannot be imported is a WorkerStartError that names it'({ createBindgenPool, errors, fixture }) {
    const glue = new URL('no-such-glue.js', fixture.glue);
    await rejects(createBindgenPool({ glue, wasm: fixture.wasm, threads: 1 }), (error) => {
      // Node's raw error was ERR_MODULE_NOT_FOUND; browsers' said "could not instantiate the module".
      if (!(error instanceof errors.WorkerStartError) || !/import the wasm-bindgen glue.*no-such-glue\.js/.test(error.message)) {
        throw new Error(`expected WorkerStartError saying it could not import the glue no-such-glue.js, got ${error?.name}: ${error?.message}`);
      }
    }, 'missing glue');
  },

  async 'a build without atomics is refused with what to change'({ createBindgenPool, errors, oxipng }) {
    await rejects(createBindgenPool({ glue: oxipng.singleGlue, threads: 1 }), (error) => {
      if (!(error instanceof errors.MemoryImportError) || !/\+atomics/.test(error.message)) throw new Error(`expected MemoryImportError naming +atomics, got ${error?.name}: ${error?.message}`);
    }, 'single-threaded build');
  },
};
