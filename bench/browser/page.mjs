// Runs inside Chromium or Firefox (page served with COOP/COEP by bench/browser.mjs). Measures,
// with the page as the caller: round trips of raw postMessage, raw Atomics, weft, comlink and
// workerpool (rounds interleaved), many tasks at once (weft, workerpool, comlink), pool start for
// 1 worker, and Mandelbrot on 1 vs 2 threads (left out when cfg.mandelbrot is null), with the
// whole browser's CPU per round trip and per task where the driver exposes it. Publishes the
// numbers as window.__benchResult for the driver.
import { measure, median, withTimeout } from '../lib/stats.mjs';
import { memoryImportLimits, sharedMemoryFor, createPoolFromCompiled } from '../lib/wasm.mjs';

const cfg = JSON.parse(new URLSearchParams(location.search).get('cfg') ?? '{}');
const rt = cfg.roundtrip ?? { warmup: 100, samples: 50, batch: 10, rounds: 3, deadlineMs: 10_000 };
const wasm = (name) => new URL(`/wasm/${name}`, location.href);
const out = document.getElementById('out');
const say = (line) => { out.textContent += line + '\n'; };

const reason = (err) => {
  const line = String(err?.message ?? err).split('\n')[0].trim();
  return line.length > 140 ? line.slice(0, 137) + '...' : line;
};

/**
 * Nanoseconds of CPU the whole browser (every process and thread) has used so far, from the
 * driver (bench/lib/process-cpu.mjs, exposed as window.__benchCpuNs); null where it cannot tell.
 */
async function browserCpuNs() {
  if (typeof window.__benchCpuNs !== 'function') return null;
  try {
    const ns = await window.__benchCpuNs();
    return typeof ns === 'number' ? ns : null;
  } catch {
    return null;
  }
}

/** Runs `work()`, which resolves to `{ calls, ... }`, and tells the browser CPU µs per call it cost. */
async function withCpu(work) {
  const before = await browserCpuNs();
  const result = await work();
  const after = await browserCpuNs();
  const calls = typeof result.calls === 'number' ? result.calls : NaN;
  return { result, cpuPerCall: before !== null && after !== null && calls > 0 ? (after - before) / 1000 / calls : undefined };
}

let weftPromise;
function loadWeft() {
  weftPromise ??= import('/dist/browser.js').then((mod) => {
    if (typeof mod.createPool !== 'function') throw new Error('dist/browser.js exports no createPool');
    return mod;
  }, (err) => {
    throw new Error(`cannot import /dist/browser.js: ${reason(err)}`);
  });
  return weftPromise;
}

async function fetchWasm(name) {
  const res = await fetch(wasm(name));
  if (!res.ok) throw new Error(`wasm/${name}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function startWorker(file) {
  const w = new Worker(new URL(file, import.meta.url), { type: 'module' });
  return w;
}

// Each round-trip transport: start() resolves to { call, stop }; rounds interleave the
// transports so that every row sees the same machine (a VM's idle cores wake slowly, and whether
// they sleep between two round trips changes the floor several-fold).
const transports = [
  ['raw postMessage ping-pong (module worker)', async () => {
    const w = startWorker('./pm-worker.mjs');
    let resolve;
    w.onmessage = () => resolve();
    const call = () => new Promise((r) => { resolve = r; w.postMessage(0); });
    await withTimeout(call(), 10_000, 'worker start');
    return { call, stop: () => w.terminate() };
  }],
  ['raw Atomics, page awaits waitAsync', async () => {
    if (typeof Atomics.waitAsync !== 'function') throw new Error('this browser has no Atomics.waitAsync');
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    const w = startWorker('./atomics-worker.mjs');
    await withTimeout(new Promise((r) => { w.onmessage = r; w.postMessage({ sab: i32.buffer }); }), 10_000, 'worker start');
    let seq = 0;
    const settle = async (next) => {
      while (Atomics.load(i32, 1) !== next) {
        const r = Atomics.waitAsync(i32, 1, next - 1);
        if (r.async) await r.value;
      }
    };
    const call = () => {
      const next = ++seq;
      Atomics.store(i32, 0, next);
      Atomics.notify(i32, 0, 1);
      return settle(next);
    };
    return { call, stop: () => { Atomics.store(i32, 0, -1); Atomics.notify(i32, 0); w.terminate(); } };
  }],
  ["weft pool.run('nothing') (default spin policy)", () => weftTransport()],
  ["weft pool.run('nothing'), spinMicros: 0 (park at once)", () => weftTransport({ spinMicros: 0 })],
  ['comlink (module worker)', async () => {
    const Comlink = await import('/node_modules/comlink/dist/esm/comlink.mjs');
    const w = startWorker('./comlink-worker.mjs');
    const remote = Comlink.wrap(w);
    const call = () => remote.nothing();
    await withTimeout(call(), 10_000, 'comlink worker start');
    return { call, stop: () => { remote[Comlink.releaseProxy](); w.terminate(); } };
  }],
  ['workerpool exec() (classic worker)', async () => {
    const pool = await workerpoolPool(1);
    const call = () => pool.exec('nothing', []);
    await withTimeout(call(), 10_000, 'workerpool worker start');
    return { call, stop: () => pool.terminate(true) };
  }],
];

async function weftTransport(poolOptions = {}) {
  const { createPool } = await loadWeft();
  const pool = await withTimeout(createPool({ module: wasm('numbers.wasm'), threads: 1, ...poolOptions }), 20_000, 'createPool');
  await withTimeout(pool.run('nothing'), 10_000, "first run('nothing')");
  return { call: () => pool.run('nothing'), stop: () => withTimeout(pool.close(), 10_000, 'close()').catch(() => {}) };
}

let workerpoolScript;
/** workerpool's browser build is a UMD script: loaded once with a script tag, it sets window.workerpool. */
async function workerpoolPool(workers) {
  workerpoolScript ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/workerpool/dist/workerpool.min.js';
    script.onload = () => resolve(window.workerpool);
    script.onerror = () => reject(new Error('cannot load node_modules/workerpool/dist/workerpool.min.js'));
    document.head.append(script);
  });
  const workerpool = await workerpoolScript;
  return workerpool.pool(new URL('./workerpool-worker.js', import.meta.url).href, { minWorkers: workers, maxWorkers: workers, workerType: 'web' });
}

/** Every transport's round trip, rounds interleaved: median of round medians, and of round means. */
async function roundTrips(list) {
  const started = [];
  for (const [name, start] of transports) {
    say(`${name}: start`);
    try {
      started.push({ name, ...(await withTimeout(start(), 30_000, `${name}: start`)), medians: [], means: [], cpus: [] });
    } catch (err) {
      list.push({ name, na: reason(err) });
    }
  }
  try {
    for (let round = 0; round < rt.rounds; round++) {
      for (const t of started) {
        if (t.na) continue;
        try {
          const { result: r, cpuPerCall } = await withCpu(async () => {
            const m = await withTimeout(measure(t.call, { ...rt, warmup: round === 0 ? rt.warmup : Math.ceil(rt.warmup / 10), rounds: 1 }), rt.deadlineMs + 20_000, `${t.name}: round ${round + 1}`);
            return { ...m, calls: m.calls + m.warmupCalls };
          });
          t.medians.push(r.median);
          t.means.push(r.mean);
          if (cpuPerCall !== undefined) t.cpus.push(cpuPerCall);
        } catch (err) {
          t.na = reason(err);
        }
      }
      say(`round trips: round ${round + 1}/${rt.rounds}`);
    }
  } finally {
    for (const t of started) await Promise.resolve().then(t.stop).catch(() => {});
  }
  for (const t of started) list.push(t.na ? { name: t.name, na: t.na } : { name: t.name, median: median(t.medians), mean: median(t.means), roundMedians: t.medians, cpuPerTrip: t.cpus.length > 0 ? median(t.cpus) : undefined });
  list.sort((a, b) => transports.findIndex(([n]) => n === a.name) - transports.findIndex(([n]) => n === b.name));
}

/** `count` empty tasks submitted at once and all awaited, `runs` times: ms per run. */
async function throughput(list) {
  const tp = cfg.throughput;
  const workers = Math.max(2, navigator.hardwareConcurrency || 2);
  const rows = [
    [`weft pool.run, ${workers} threads`, async () => {
      const { createPool } = await loadWeft();
      const pool = await withTimeout(createPool({ module: wasm('numbers.wasm'), threads: workers }), 20_000, 'createPool');
      await pool.run('nothing');
      return { batch: (n) => Promise.all(Array.from({ length: n }, () => pool.run('nothing'))), stop: () => pool.close() };
    }],
    [`workerpool exec(), ${workers} workers`, async () => {
      const pool = await workerpoolPool(workers);
      await pool.exec('nothing', []);
      return { batch: (n) => Promise.all(Array.from({ length: n }, () => pool.exec('nothing', []))), stop: () => pool.terminate(true) };
    }],
    ['comlink, 1 worker (comlink has no pool)', async () => {
      const Comlink = await import('/node_modules/comlink/dist/esm/comlink.mjs');
      const w = startWorker('./comlink-worker.mjs');
      const remote = Comlink.wrap(w);
      await remote.nothing();
      return { batch: (n) => Promise.all(Array.from({ length: n }, () => remote.nothing())), stop: () => { remote[Comlink.releaseProxy](); w.terminate(); } };
    }],
  ];
  for (const [name, start] of rows) {
    await row(list, name, async () => {
      const t = await withTimeout(start(), 30_000, `${name}: start`);
      try {
        const times = [];
        const cpus = [];
        for (let i = 0; i < 1 + tp.runs; i++) {
          const { result: elapsed, cpuPerCall } = await withCpu(async () => {
            const t0 = performance.now();
            await withTimeout(t.batch(tp.tasks), tp.timeoutMs, `${name}: ${tp.tasks} tasks`);
            return { ms: performance.now() - t0, calls: tp.tasks };
          });
          if (i > 0) {
            times.push(elapsed.ms);
            if (cpuPerCall !== undefined) cpus.push(cpuPerCall);
          }
        }
        const ms = median(times);
        return { ms, usPerTask: (ms * 1000) / tp.tasks, cpuPerTask: cpus.length > 0 ? median(cpus) : undefined, tasks: tp.tasks, runs: times };
      } finally {
        await Promise.resolve().then(t.stop).catch(() => {});
      }
    });
  }
}

async function bareStart(module, limits) {
  const memory = sharedMemoryFor(limits);
  const w = startWorker('./bare-wasm-worker.mjs');
  try {
    await withTimeout(new Promise((resolve, reject) => {
      w.onmessage = (e) => (e.data === 'ready' ? resolve() : reject(new Error(e.data?.error ?? 'bad message')));
      w.onerror = (e) => reject(new Error(e.message || 'worker error'));
      w.postMessage({ module, memory });
    }), 20_000, 'bare worker start');
  } catch (err) {
    w.terminate();
    throw err;
  }
  return () => w.terminate();
}

async function timeStarts(start) {
  const times = [];
  const closes = [];
  for (let i = 0; i < 1 + cfg.startupRuns; i++) {
    const t0 = performance.now();
    const stop = await start();
    const t1 = performance.now();
    await stop();
    const t2 = performance.now();
    if (i > 0) { times.push(t1 - t0); closes.push(t2 - t1); }
  }
  return { median: median(times), closeMedian: median(closes), runs: times };
}

async function mandelbrot(createPool, module, threads) {
  const m = cfg.mandelbrot;
  const pool = await withTimeout(createPool({ module, threads }), 30_000, `createPool threads: ${threads}`);
  try {
    await withTimeout(pool.run('mandelbrot_setup', m.width, m.height, m.iterations), 30_000, 'mandelbrot_setup');
    for (let i = 0; i < m.warmup; i++) await withTimeout(pool.parallelFor('mandelbrot_rows', 0, m.height), 60_000, 'warm-up');
    const times = [];
    for (let i = 0; i < m.runs; i++) {
      const t0 = performance.now();
      await withTimeout(pool.parallelFor('mandelbrot_rows', 0, m.height), 60_000, 'parallelFor');
      times.push(performance.now() - t0);
    }
    const checksum = await withTimeout(pool.run('mandelbrot_checksum'), 30_000, 'mandelbrot_checksum');
    return { ms: median(times), min: Math.min(...times), runs: times, checksum: String(checksum) };
  } finally {
    await withTimeout(pool.close(), 10_000, 'close()').catch(() => {});
  }
}

async function row(list, name, fn) {
  say(`${name}...`);
  try {
    list.push({ name, ...(await fn()) });
  } catch (err) {
    list.push({ name, na: reason(err) });
  }
}

const result = {
  userAgent: navigator.userAgent,
  hardwareConcurrency: navigator.hardwareConcurrency,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  waitAsync: typeof Atomics.waitAsync === 'function',
  roundtrip: [],
  throughput: [],
  startup: [],
  mandelbrot: [],
};

try {
  if (!result.crossOriginIsolated) throw new Error('page is not crossOriginIsolated: no SharedArrayBuffer');

  await roundTrips(result.roundtrip);
  if (cfg.throughput) await throughput(result.throughput);

  let hello;
  try {
    const bytes = await fetchWasm('hello.wasm');
    hello = { module: await WebAssembly.compile(bytes), limits: memoryImportLimits(bytes) };
  } catch (err) {
    hello = { na: reason(err) };
  }
  await row(result.startup, 'bare module worker, instantiate hello.wasm', async () => {
    if (hello.na) throw new Error(hello.na);
    return timeStarts(() => bareStart(hello.module, hello.limits));
  });
  await row(result.startup, 'weft createPool({ threads: 1 })', async () => {
    if (hello.na) throw new Error(hello.na);
    const { createPool } = await loadWeft();
    const state = { passedMemory: false };
    const r = await timeStarts(async () => {
      const pool = await withTimeout(createPoolFromCompiled(createPool, hello.module, hello.limits, 1, state), 30_000, 'createPool');
      return () => withTimeout(pool.close(), 10_000, 'close()');
    });
    return { ...r, passedMemory: state.passedMemory };
  });

  let mandel;
  try {
    mandel = { createPool: (await loadWeft()).createPool, module: wasm('mandelbrot.wasm') };
  } catch (err) {
    mandel = { na: reason(err) };
  }
  for (const threads of cfg.mandelbrot ? [1, 2] : []) {
    await row(result.mandelbrot, `weft, ${threads} thread${threads === 1 ? '' : 's'}`, async () => {
      if (mandel.na) throw new Error(mandel.na);
      return { threads, ...(await mandelbrot(mandel.createPool, mandel.module, threads)) };
    });
  }
} catch (err) {
  result.error = reason(err);
} finally {
  say('done');
  window.__benchResult = result;
}
