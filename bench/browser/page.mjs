// Runs inside Chromium (page served with COOP/COEP by bench/browser.mjs). Measures, with the
// page as the caller: raw postMessage and raw Atomics round trips with a module worker, weft's
// round trip, pool start for 1 worker, and Mandelbrot on 1 vs 2 threads. Publishes the numbers
// as window.__benchResult for the driver.
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

async function rawPostMessage() {
  const w = startWorker('./pm-worker.mjs');
  try {
    let resolve;
    w.onmessage = () => resolve();
    const once = () => new Promise((r) => { resolve = r; w.postMessage(0); });
    await withTimeout(once(), 10_000, 'worker start');
    return await measure(once, rt);
  } finally {
    w.terminate();
  }
}

async function rawAtomics() {
  const sab = new SharedArrayBuffer(8);
  const i32 = new Int32Array(sab);
  const w = startWorker('./atomics-worker.mjs');
  try {
    await withTimeout(new Promise((r) => { w.onmessage = r; w.postMessage({ sab }); }), 10_000, 'worker start');
    let seq = 0;
    const settle = async (next) => {
      while (Atomics.load(i32, 1) !== next) {
        const r = Atomics.waitAsync(i32, 1, next - 1);
        if (r.async) await r.value;
      }
    };
    const once = () => {
      const next = ++seq;
      Atomics.store(i32, 0, next);
      Atomics.notify(i32, 0, 1);
      return settle(next);
    };
    return await measure(once, rt);
  } finally {
    Atomics.store(i32, 0, -1);
    Atomics.notify(i32, 0);
    w.terminate();
  }
}

async function weftRoundTrip(poolOptions = {}) {
  const { createPool } = await loadWeft();
  const pool = await withTimeout(createPool({ module: wasm('numbers.wasm'), threads: 1, ...poolOptions }), 20_000, 'createPool');
  try {
    await withTimeout(pool.run('nothing'), 10_000, "first run('nothing')");
    return await withTimeout(measure(() => pool.run('nothing'), rt), rt.deadlineMs + 20_000, "run('nothing') loop");
  } finally {
    await withTimeout(pool.close(), 10_000, 'close()').catch(() => {});
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
  startup: [],
  mandelbrot: [],
};

try {
  if (!result.crossOriginIsolated) throw new Error('page is not crossOriginIsolated: no SharedArrayBuffer');

  await row(result.roundtrip, 'raw postMessage ping-pong (module worker)', rawPostMessage);
  await row(result.roundtrip, 'raw Atomics, page awaits waitAsync', rawAtomics);
  await row(result.roundtrip, "weft pool.run('nothing') (default spin policy)", () => weftRoundTrip());
  await row(result.roundtrip, "weft pool.run('nothing'), spinMicros: 0 (park at once)", () => weftRoundTrip({ spinMicros: 0 }));

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
  for (const threads of [1, 2]) {
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
