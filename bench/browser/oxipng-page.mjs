// Runs inside Chromium (served with COOP/COEP by bench/oxipng.mjs, which also serves the test
// PNGs and maps the directory import of the package's rayon worker). Rows:
//   single-threaded codec/pkg in a module worker (the baseline and the reference outputs);
//   weft createBindgenPool({ glue: codec/pkg-parallel, rayonThreads: n }) for each n;
//   the package's own wasm-bindgen-rayon helper in a module worker (init(); initThreadPool(n)).
// Their starts are timed one row after the other; then all of them stay open and are measured
// together, interleaved (lib/oxipng-measure.mjs). Every call is timed from the page (a round
// trip to the worker that runs optimise).
// Progress goes to console.log ('[oxipng] ...'); the result to window.__oxipngResult.
import { startRow, measureRows, closeRows, ROW_NAMES } from '../lib/oxipng-measure.mjs';
import { withTimeout } from '../lib/stats.mjs';
import { reason } from '../lib/table.mjs';

const cfg = JSON.parse(new URLSearchParams(location.search).get('cfg') ?? '{}');
const PKG = new URL('/node_modules/@jsquash/oxipng/codec/', location.href);
const SINGLE_GLUE = new URL('pkg/squoosh_oxipng.js', PKG).href;
const PARALLEL_GLUE = new URL('pkg-parallel/squoosh_oxipng.js', PKG).href;
const log = (line) => console.log(`[oxipng] ${line}`);

/** A row run in one module worker of ours (bench/browser/oxipng-worker.mjs). */
function workerImpl(glueUrl, threads) {
  return () => {
    const w = new Worker(new URL('./oxipng-worker.mjs', import.meta.url), { type: 'module' });
    let pending = null;
    const fail = (err) => { const p = pending; pending = null; p?.reject(err); };
    w.onmessage = ({ data }) => {
      const p = pending;
      pending = null;
      if (data.ok) p?.resolve(data);
      else p?.reject(new Error(data.error.split('\n')[0]));
    };
    w.onerror = (e) => { e.preventDefault?.(); fail(new Error(`worker error: ${e.message ?? 'script failed to load'}`)); };
    w.onmessageerror = () => fail(new Error('worker messageerror'));
    const call = (msg) => new Promise((resolve, reject) => {
      pending = { resolve, reject };
      w.postMessage(msg);
    });
    return {
      ready: call({ op: 'init', glueUrl, threads }),
      optimise: async (png, level) => (await call({ op: 'optimise', png, level })).out,
      // terminate() also ends the nested workers the package helper started.
      close: async () => w.terminate(),
    };
  };
}

/** A row run by a weft BindgenPool. */
function weftImpl(createBindgenPool, threads) {
  return () => {
    let pool = null;
    const ready = createBindgenPool({ glue: PARALLEL_GLUE, rayonThreads: threads, startTimeout: cfg.startTimeoutMs }).then((p) => { pool = p; });
    return {
      ready,
      optimise: (png, level) => pool.run('optimise', png, level, false, false),
      close: () => (pool ? pool.close() : ready.then(() => pool.close(), () => {})),
    };
  };
}

async function main() {
  const result = {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    rows: [],
  };
  if (!result.crossOriginIsolated) throw new Error('page is not crossOriginIsolated (no SharedArrayBuffer)');
  const images = await Promise.all(cfg.images.map(async ({ name, url }) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return { name, png: new Uint8Array(await res.arrayBuffer()) };
  }));
  const opts = { ...cfg, images, log };

  const entries = [await startRow({ name: ROW_NAMES.single, kind: 'single', threads: 0 }, workerImpl(SINGLE_GLUE, 0), opts)];
  result.rows.push(entries[0].row);
  const add = async (spec, impl) => {
    const entry = await startRow(spec, impl, opts);
    entries.push(entry);
    result.rows.push(entry.row);
  };

  let createBindgenPool = null;
  let weftError = null;
  try {
    ({ createBindgenPool } = await withTimeout(import('/dist/wasm-bindgen/index.js'), 30_000, 'import /dist/wasm-bindgen/index.js'));
    if (typeof createBindgenPool !== 'function') throw new Error('dist/wasm-bindgen/index.js exports no createBindgenPool');
  } catch (err) {
    weftError = `cannot load weft: ${reason(err)}`;
  }
  try {
    for (const n of cfg.threads) {
      const spec = { name: ROW_NAMES.weft(n), kind: 'weft', threads: n };
      if (weftError) result.rows.push({ ...spec, na: weftError });
      else await add(spec, weftImpl(createBindgenPool, n));
    }
    for (const n of cfg.threads) await add({ name: ROW_NAMES.helper(n), kind: 'helper', threads: n }, workerImpl(PARALLEL_GLUE, n));
    await measureRows(entries, { ...opts, referenceEntry: entries[0] });
  } finally {
    await closeRows(entries, log);
  }
  return result;
}

main().then(
  (r) => { window.__oxipngResult = r; },
  (err) => { window.__oxipngResult = { error: reason(err), userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated === true }; },
);
