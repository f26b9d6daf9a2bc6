// Family 2: throughput of tiny tasks. All tasks are submitted at once (every promise created,
// then Promise.all), with as many workers as os.availableParallelism().
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { measureRuns, withTimeout } from './lib/stats.mjs';
import { markdownTable, reason } from './lib/table.mjs';
import { workerUrl, loadWeft, requireWasm } from './lib/paths.mjs';

const BASELINE = 'raw postMessage, pipelined';

function checkAll(results, tasks) {
  for (let i = 0; i < tasks; i++) {
    if (results[i] !== i) throw new Error(`wrong result for task ${i}: ${String(results[i])}`);
  }
}

// Main posts every message to N workers round-robin, workers echo, main counts the replies.
export async function rawPipelined(c) {
  const workers = [];
  try {
    for (let k = 0; k < c.workers; k++) {
      const w = new Worker(workerUrl('postmessage-echo.mjs'));
      w.on('error', () => {});
      workers.push(w);
    }
    await withTimeout(Promise.all(workers.map((w) => once(w, 'online'))), 20_000, 'workers start');
    let done;
    let count = 0;
    let sum = 0;
    for (const w of workers) w.on('message', (m) => { sum += m; if (++count === c.tasks) done(); });
    return await measureRuns(async () => {
      count = 0;
      sum = 0;
      const finished = new Promise((r) => { done = r; });
      for (let i = 0; i < c.tasks; i++) workers[i % c.workers].postMessage(i);
      await finished;
      if (sum !== (c.tasks * (c.tasks - 1)) / 2) throw new Error(`wrong reply sum ${sum}`);
    }, c);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Times batches of c.tasks calls of `submit(i)`, all submitted at once, checking every result. */
function measureAllAtOnce(submit, c) {
  return measureRuns(async () => {
    const ps = new Array(c.tasks);
    for (let i = 0; i < c.tasks; i++) ps[i] = submit(i);
    checkAll(await Promise.all(ps), c.tasks);
  }, c);
}

export async function piscinaRow(c) {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: workerUrl('piscina-task.mjs').href, minThreads: c.workers, maxThreads: c.workers });
  try {
    return await measureAllAtOnce((i) => pool.run(i), c);
  } finally {
    await pool.destroy();
  }
}

export async function tinypoolRow(c) {
  const { Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: fileURLToPath(workerUrl('tinypool-task.mjs')), minThreads: c.workers, maxThreads: c.workers });
  try {
    return await measureAllAtOnce((i) => pool.run(i), c);
  } finally {
    await pool.destroy();
  }
}

export async function workerpoolRow(c) {
  const { default: workerpool } = await import('workerpool');
  const pool = workerpool.pool(fileURLToPath(workerUrl('workerpool-worker.mjs')), {
    minWorkers: c.workers,
    maxWorkers: c.workers,
    workerType: 'thread',
  });
  try {
    return await measureRuns(async () => {
      const ps = new Array(c.tasks);
      for (let i = 0; i < c.tasks; i++) ps[i] = pool.exec('echo', [i]);
      checkAll(await Promise.all(ps), c.tasks);
    }, c);
  } finally {
    await pool.terminate(true);
  }
}

export async function comlinkRow(c) {
  const Comlink = await import('comlink/dist/esm/comlink.mjs');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  const workers = [];
  const remotes = [];
  try {
    for (let k = 0; k < c.workers; k++) {
      const w = new Worker(workerUrl('comlink-worker.mjs'));
      w.on('error', () => {});
      workers.push(w);
      remotes.push(Comlink.wrap(nodeEndpoint(w)));
    }
    await withTimeout(Promise.all(remotes.map((r) => r.nothing())), 20_000, 'comlink workers start');
    return await measureRuns(async () => {
      const ps = new Array(c.tasks);
      for (let i = 0; i < c.tasks; i++) ps[i] = remotes[i % c.workers].echo(i);
      checkAll(await Promise.all(ps), c.tasks);
    }, c);
  } finally {
    for (const r of remotes) r[Comlink.releaseProxy]();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export async function weftRow(c) {
  const { createPool } = await loadWeft();
  const pool = await withTimeout(createPool({ module: requireWasm('numbers.wasm'), threads: c.workers }), 20_000, 'createPool');
  try {
    return await measureRuns(async () => {
      const ps = new Array(c.tasks);
      for (let i = 0; i < c.tasks; i++) ps[i] = pool.run('echo_i32', i);
      checkAll(await Promise.all(ps), c.tasks);
    }, c);
  } finally {
    await withTimeout(pool.close(), 10_000, 'pool.close()').catch(() => {});
  }
}

export const title = 'Throughput of tiny tasks (Node, all submitted at once)';

export async function run(config, log) {
  const c = config.throughput;
  const rows = [
    [BASELINE, () => rawPipelined(c)],
    ['piscina run(i)', () => piscinaRow(c)],
    ['tinypool run(i)', () => tinypoolRow(c)],
    ["workerpool exec('echo', [i])", () => workerpoolRow(c)],
    ['comlink echo(i), round-robin', () => comlinkRow(c)],
    ["weft pool.run('echo_i32', i)", () => weftRow(c)],
  ];
  const results = [];
  for (const [name, fn] of rows) {
    log(`throughput: ${name}`);
    try {
      const r = await withTimeout(fn(), c.deadlineMs + 60_000, name);
      results.push({
        name,
        usPerTask: (r.median * 1000) / c.tasks,
        tasksPerSec: c.tasks / (r.median / 1000),
        ms: r.median,
        runs: r.runs,
      });
    } catch (err) {
      results.push({ name, na: reason(err) });
    }
  }
  const table = markdownTable({
    title: `${title}: ${c.tasks.toLocaleString('en-US')} tasks, ${c.workers} workers`,
    nameLabel: 'transport',
    columns: [
      { key: 'usPerTask', label: 'µs / task', digits: 3 },
      { key: 'tasksPerSec', label: 'tasks / s', format: (v) => Math.round(v).toLocaleString('en-US') },
      { key: 'ms', label: 'batch ms', digits: 1 },
    ],
    rows: results,
    baseline: BASELINE,
    ratioLabel: '× raw pipelined',
    notes: [`Median of ${c.runs} timed batches after ${c.warmup} warm-up batch; every result is checked against its input.`],
  });
  return { tables: [table], data: { rows: results, settings: c } };
}
