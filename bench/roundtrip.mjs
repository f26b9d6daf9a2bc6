// Family 1: dispatch round trip of an empty task, one at a time, main thread as the caller.
// One worker / one thread for every row.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { measure, withTimeout } from './lib/stats.mjs';
import { markdownTable, reason } from './lib/table.mjs';
import { workerUrl, wasmUrl, loadWeft, requireWasm } from './lib/paths.mjs';

export const FLOOR = 'raw Atomics, main awaits waitAsync';

async function startWorker(file, options) {
  const w = new Worker(workerUrl(file), options);
  w.on('error', () => {}); // surfaced by the row's own timeout instead of an unhandled event
  await withTimeout(once(w, 'online'), 10_000, `${file} start`);
  return w;
}

// Raw postMessage ping-pong with a worker_thread.
export async function rawPostMessage(cfg) {
  const w = await startWorker('postmessage-echo.mjs');
  try {
    let resolve;
    w.on('message', () => resolve());
    const rt = () => new Promise((r) => { resolve = r; w.postMessage(0); });
    return await measure(rt, cfg);
  } finally {
    await w.terminate();
  }
}

// Raw Atomics ping-pong over a SharedArrayBuffer. `wait` picks how main waits for the answer:
// 'async' = Atomics.waitAsync (never blocks), 'block' = Atomics.wait. `spin` bounds how long
// both sides poll before waiting (0 = no spin).
export async function rawAtomics(cfg, { wait, spin }) {
  const sab = new SharedArrayBuffer(8);
  const i32 = new Int32Array(sab);
  const w = new Worker(workerUrl('atomics-echo.mjs'), { workerData: { sab, spin } });
  w.on('error', () => {});
  await withTimeout(once(w, 'message'), 10_000, 'atomics worker start');
  let seq = 0;
  const request = () => {
    const next = ++seq;
    Atomics.store(i32, 0, next);
    Atomics.notify(i32, 0, 1);
    return next;
  };
  const spinFor = (next) => {
    let v = Atomics.load(i32, 1);
    for (let k = 0; v !== next && k < spin; k++) v = Atomics.load(i32, 1);
    return v;
  };
  let rt;
  if (wait === 'block') {
    rt = () => {
      const next = request();
      while (spinFor(next) !== next) Atomics.wait(i32, 1, next - 1);
    };
  } else {
    const settle = async (next) => {
      while (Atomics.load(i32, 1) !== next) {
        const r = Atomics.waitAsync(i32, 1, next - 1);
        if (r.async) await r.value;
      }
    };
    rt = () => {
      const next = request();
      if (spinFor(next) === next) return undefined; // answered during the spin: no promise
      const r = Atomics.waitAsync(i32, 1, next - 1);
      if (!r.async) return settle(next);
      return r.value.then(() => (Atomics.load(i32, 1) === next ? undefined : settle(next)));
    };
  }
  try {
    return await measure(rt, cfg);
  } finally {
    Atomics.store(i32, 0, -1);
    Atomics.notify(i32, 0);
    await w.terminate();
  }
}

export async function piscinaRow(cfg) {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: workerUrl('piscina-task.mjs').href, minThreads: 1, maxThreads: 1 });
  try {
    await pool.run(); // first task starts the worker
    return await measure(() => pool.run(), cfg);
  } finally {
    await pool.destroy();
  }
}

export async function tinypoolRow(cfg) {
  const { Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: fileURLToPath(workerUrl('tinypool-task.mjs')), minThreads: 1, maxThreads: 1 });
  try {
    await pool.run();
    return await measure(() => pool.run(), cfg);
  } finally {
    await pool.destroy();
  }
}

export async function workerpoolRow(cfg) {
  const { default: workerpool } = await import('workerpool');
  const pool = workerpool.pool(fileURLToPath(workerUrl('workerpool-worker.mjs')), { minWorkers: 1, maxWorkers: 1, workerType: 'thread' });
  try {
    await pool.exec('nothing', []);
    return await measure(() => pool.exec('nothing', []), cfg);
  } finally {
    await pool.terminate(true);
  }
}

export async function comlinkRow(cfg) {
  const Comlink = await import('comlink/dist/esm/comlink.mjs');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  const w = await startWorker('comlink-worker.mjs');
  const remote = Comlink.wrap(nodeEndpoint(w));
  try {
    await remote.nothing();
    return await measure(() => remote.nothing(), cfg);
  } finally {
    remote[Comlink.releaseProxy]();
    await w.terminate();
  }
}

export async function weftRow(cfg, poolOptions = {}) {
  const { createPool } = await loadWeft();
  const pool = await withTimeout(createPool({ module: requireWasm('numbers.wasm'), threads: 1, ...poolOptions }), 20_000, 'createPool');
  try {
    await withTimeout(pool.run('nothing'), 10_000, "first run('nothing')");
    return await withTimeout(measure(() => pool.run('nothing'), cfg), cfg.deadlineMs + 20_000, "run('nothing') loop");
  } finally {
    await withTimeout(pool.close(), 10_000, 'pool.close()').catch(() => {});
  }
}

export const title = 'Dispatch round trip of an empty task (Node, 1 worker, one at a time)';

/**
 * How many polls of a shared word fit in `us` microseconds on this thread. Why: an Atomics.load
 * is not inlined everywhere (tens of ns each on some V8 builds), so a bound given as a poll count
 * would mean very different times on different machines; the bound is set in time instead.
 */
export function calibrateSpin(us) {
  if (us <= 0) return 0;
  const i32 = new Int32Array(new SharedArrayBuffer(8));
  const poll = (n) => {
    let v = Atomics.load(i32, 1);
    for (let k = 0; v !== 1 && k < n; k++) v = Atomics.load(i32, 1);
    return v;
  };
  const polls = 2_000;
  let best = Infinity;
  for (let r = 0; r < 200; r++) { // early runs warm the loop up to the optimizing tier
    const t = performance.now();
    poll(polls);
    best = Math.min(best, (performance.now() - t) * 1000);
  }
  return Math.max(1, Math.round((us * polls) / best));
}

export async function run(config, log) {
  const c = config.roundtrip;
  const spin = calibrateSpin(c.spinUs);
  const rows = [
    ['raw postMessage ping-pong', () => rawPostMessage(c)],
    [FLOOR, () => rawAtomics(c, { wait: 'async', spin: 0 })],
    ['raw Atomics, main blocks in Atomics.wait', () => rawAtomics(c, { wait: 'block', spin: 0 })],
    [`raw Atomics, both spin ≤${c.spinUs} µs, main then Atomics.wait`, () => rawAtomics(c, { wait: 'block', spin })],
    [`raw Atomics, both spin ≤${c.spinUs} µs, main then waitAsync`, () => rawAtomics(c, { wait: 'async', spin })],
    ['piscina run()', () => piscinaRow(c)],
    ['tinypool run()', () => tinypoolRow(c)],
    ['workerpool exec()', () => workerpoolRow(c)],
    ['comlink (node adapter)', () => comlinkRow(c)],
    ["weft pool.run('nothing') (default spin policy)", () => weftRow(c)],
    ["weft pool.run('nothing'), spinMicros: 0 (park at once)", () => weftRow(c, { spinMicros: 0 })],
  ];
  const results = [];
  for (const [name, fn] of rows) {
    log(`roundtrip: ${name}`);
    try {
      const r = await withTimeout(fn(), c.deadlineMs + 40_000, name);
      results.push({ name, ...r });
    } catch (err) {
      results.push({ name, na: reason(err) });
    }
  }
  const table = markdownTable({
    title,
    nameLabel: 'transport',
    columns: [
      { key: 'median', label: 'median µs' },
      { key: 'p90', label: 'p90 µs' },
      { key: 'p99', label: 'p99 µs' },
    ],
    rows: results,
    baseline: FLOOR,
    ratioLabel: '× Atomics floor',
    notes: [
      `Median of ${c.rounds} round medians, ${c.samples} timed round trips per round after ${c.warmup} warm-up ones; ` +
        `spin bound = ${c.spinUs} µs (${spin} polls of the shared word, calibrated on the main thread) on each side.`,
    ],
  });
  return { tables: [table], data: { rows: results, settings: { ...c, spinPolls: spin } } };
}
