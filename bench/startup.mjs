// Family 3: pool start, time until ready, for 1, 2, 4, 8 threads. Bare worker_threads that
// instantiate a precompiled module on one shared memory vs weft's createPool().
import { Worker } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { median, withTimeout } from './lib/stats.mjs';
import { markdownTable, reason, fmt } from './lib/table.mjs';
import { workerUrl, loadWeft, requireWasm } from './lib/paths.mjs';
import { memoryImportLimits, memoryDescriptorFor, sharedMemoryFor, createPoolFromCompiled } from './lib/wasm.mjs';

// Start n bare workers; resolves with a function that terminates them once all posted 'ready'.
async function startBare(module, limits, n) {
  const memory = sharedMemoryFor(limits);
  const workers = [];
  const ready = [];
  for (let k = 0; k < n; k++) {
    const w = new Worker(workerUrl('bare-wasm.mjs'));
    workers.push(w);
    ready.push(new Promise((resolve, reject) => {
      w.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(m?.error ?? 'bad message'))));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`bare worker exited with ${code}`)));
    }));
    w.postMessage({ module, memory });
  }
  const stop = () => Promise.all(workers.map((w) => w.terminate()));
  try {
    await withTimeout(Promise.all(ready), 20_000, `${n} bare workers start`);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}

async function timeStarts(label, c, log, startOnce) {
  const times = [];
  const closeTimes = [];
  const t0 = performance.now();
  for (let i = 0; i < c.warmup + c.runs; i++) {
    const s = performance.now();
    const stop = await startOnce();
    const ready = performance.now() - s;
    const cs = performance.now();
    await stop();
    const closed = performance.now() - cs;
    if (i >= c.warmup) {
      times.push(ready);
      closeTimes.push(closed);
    }
    if (times.length > 0 && performance.now() - t0 > c.deadlineMs) {
      log(`startup: ${label}: deadline reached after ${times.length} starts`);
      break;
    }
  }
  return { median: median(times), closeMedian: median(closeTimes), runs: times, closeRuns: closeTimes };
}

export const title = 'Pool start: time until ready (Node)';

export async function run(config, log) {
  const c = config.startup;
  let module;
  let limits;
  let missing = null;
  try {
    const bytes = await readFile(requireWasm('hello.wasm'));
    module = await WebAssembly.compile(bytes);
    limits = memoryImportLimits(bytes);
  } catch (err) {
    missing = reason(err);
  }
  const desc = memoryDescriptorFor(limits);
  const weftState = { passedMemory: false };
  const rows = [];
  for (const n of c.threads) {
    const row = { name: `${n} thread${n === 1 ? '' : 's'}`, threads: n };
    if (missing) {
      rows.push({ ...row, bareNa: missing, weftNa: missing });
      continue;
    }
    log(`startup: ${n} threads`);
    try {
      const bare = await timeStarts(`bare ${n}`, c, log, () => startBare(module, limits, n));
      row.bare = bare.median;
      row.bareRuns = bare.runs;
    } catch (err) {
      row.bareNa = reason(err);
    }
    try {
      const { createPool } = await loadWeft();
      const weft = await timeStarts(`weft ${n}`, c, log, async () => {
        const pool = await withTimeout(createPoolFromCompiled(createPool, module, limits, n, weftState), 30_000, `createPool threads: ${n}`);
        return () => withTimeout(pool.close(), 10_000, 'pool.close()');
      });
      row.weft = weft.median;
      row.weftClose = weft.closeMedian;
      row.weftRuns = weft.runs;
    } catch (err) {
      row.weftNa = reason(err);
    }
    rows.push(row);
  }
  const ratio = (v, row) => (typeof row.weft === 'number' && typeof row.bare === 'number' ? `${(row.weft / row.bare).toFixed(2)}×` : '–');
  const table = markdownTable({
    title: `${title}, wasm/hello.wasm precompiled`,
    nameLabel: 'threads',
    columns: [
      { key: 'bare', label: 'bare workers ms', format: (v, row) => (row.bareNa ? `n/a (${row.bareNa})` : fmt(v)) },
      { key: 'weft', label: 'weft createPool ms', format: (v, row) => (row.weftNa ? `n/a (${row.weftNa})` : fmt(v)) },
      { key: 'ratio', label: 'weft ÷ bare', format: ratio },
      { key: 'weftClose', label: 'weft close() ms', format: (v, row) => (row.weftNa ? '' : fmt(v)) },
    ],
    rows,
    notes: [
      `Median of ${c.runs} starts after ${c.warmup} warm-up start. Bare: create the shared memory (initial ${limits ? desc.initial : "–"} ` +
        `pages = the import's minimum, maximum ${desc.maximum}), ` +
        `start n worker_threads, post each {module, memory}, wait for every 'ready' after instantiation. ` +
        `weft: createPool({ module, threads: n }) with the same compiled module` +
        (weftState.passedMemory
          ? ` and \`memory\` (made like bare's, inside the timed start), since weft asked for it: it cannot read a compiled module's memory limits in this engine`
          : '') +
        `; close() is timed separately.`,
    ],
  });
  return { tables: [table], data: { rows, settings: c, memoryImport: limits, weftPassedMemory: weftState.passedMemory } };
}
