// Family "oxipng": a real wasm-bindgen + wasm-bindgen-rayon crate (@jsquash/oxipng 2.3.0) on weft.
// PNG optimisation of three generated images, single-threaded build (codec/pkg, the baseline and
// the reference outputs) against the parallel build (codec/pkg-parallel) through weft's
// createBindgenPool with 1, 2 and N rayon threads (N = availableParallelism), in Node (this
// process) and in Chromium (bench/browser/oxipng-page.mjs); in Chromium also against the
// package's own wasm-bindgen-rayon helper (init(); initThreadPool(n) in a module worker).
// Starts are timed row by row; the runs of all rows are interleaved (lib/oxipng-measure.mjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './lib/stats.mjs';
import { markdownTable, reason } from './lib/table.mjs';
import { repoRoot, distDir, exists } from './lib/paths.mjs';
import { testImages } from './lib/png.mjs';
import { startRow, measureRows, closeRows, ROW_NAMES } from './lib/oxipng-measure.mjs';
import { startServer, launchChromium } from './browser.mjs';

const PKG = new URL('node_modules/@jsquash/oxipng/codec/', repoRoot);
const SINGLE_GLUE = new URL('pkg/squoosh_oxipng.js', PKG);
const SINGLE_WASM = new URL('pkg/squoosh_oxipng_bg.wasm', PKG);
const PARALLEL_GLUE = new URL('pkg-parallel/squoosh_oxipng.js', PKG);
const IMAGE_PATH = (name) => `/__bench/oxipng/${name}.png`;

function settings(config) {
  return { ...config.oxipng };
}

// ---- Node ---------------------------------------------------------------------------------------

/** The single-threaded build, called in this process. Each start imports a fresh glue instance. */
function nodeSingle(wasmBytes) {
  return (k) => {
    let glue = null;
    const ready = (async () => {
      const g = await import(`${SINGLE_GLUE.href}?start=${k}`);
      await g.default(wasmBytes);
      glue = g;
    })();
    return {
      ready,
      optimise: async (png, level) => glue.optimise(png, level, false, false),
      close: async () => {},
    };
  };
}

function nodeWeft(createBindgenPool, threads, s) {
  return () => {
    let pool = null;
    const ready = createBindgenPool({ glue: fileURLToPath(PARALLEL_GLUE), rayonThreads: threads, startTimeout: s.startTimeoutMs })
      .then((p) => { pool = p; });
    return {
      ready,
      optimise: (png, level) => pool.run('optimise', png, level, false, false),
      close: () => (pool ? pool.close() : ready.then(() => pool.close(), () => {})),
    };
  };
}

async function runNode(s, images, log) {
  const opts = { ...s, images, log: (m) => log(`oxipng node: ${m}`) };
  const entries = [await startRow({ name: ROW_NAMES.single, kind: 'single', threads: 0 }, nodeSingle(readFileSync(SINGLE_WASM)), opts)];
  const rows = [entries[0].row];

  let createBindgenPool = null;
  let weftError = null;
  try {
    const url = new URL('wasm-bindgen/node.js', distDir);
    if (!exists(url)) throw new Error('dist/wasm-bindgen/node.js not built');
    ({ createBindgenPool } = await import(url.href));
    if (typeof createBindgenPool !== 'function') throw new Error('dist/wasm-bindgen/node.js exports no createBindgenPool');
  } catch (err) {
    weftError = reason(err);
  }
  for (const n of s.threads) {
    const spec = { name: ROW_NAMES.weft(n), kind: 'weft', threads: n };
    if (weftError) {
      rows.push({ ...spec, na: weftError });
      continue;
    }
    const entry = await startRow(spec, nodeWeft(createBindgenPool, n, s), opts);
    entries.push(entry);
    rows.push(entry.row);
  }
  try {
    await measureRows(entries, { ...opts, referenceEntry: entries[0] });
  } finally {
    await closeRows(entries, opts.log);
  }
  const single = entries[0].row;
  return { rows, referenceHashes: single.na ? [] : single.results.map((r) => `${r.image}|${r.level}|${r.hash}`) };
}

// ---- Chromium -----------------------------------------------------------------------------------

async function driveChromium(s, images, log) {
  const files = new Map(images.map((i) => [IMAGE_PATH(i.name), i.png]));
  // packageDirs: the package's rayon worker imports '../../../' (its pkg-parallel folder).
  const server = await startServer({ files, packageDirs: true });
  let browser;
  try {
    browser = await launchChromium(log);
    const { page } = browser;
    page.on('pageerror', (err) => log(`oxipng chromium: page error: ${err.message}`));
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[oxipng] ')) log(`oxipng chromium: ${text.slice(9)}`);
      else if (msg.type() === 'error' || msg.type() === 'warning') log(`oxipng chromium: console ${msg.type()}: ${text}`);
    });
    const cfg = {
      images: images.map((i) => ({ name: i.name, url: IMAGE_PATH(i.name) })),
      levels: s.levels,
      threads: s.threads,
      settleMin: s.settleMin,
      settleMax: s.settleMax,
      warmup: s.warmup,
      runs: s.runs,
      starts: s.starts,
      callTimeoutMs: s.callTimeoutMs,
      startTimeoutMs: s.startTimeoutMs,
    };
    const url = `${server.origin}/bench/browser/oxipng.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`;
    log(`oxipng chromium: ${url.split('?')[0]}`);
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    await page.waitForFunction(() => window.__oxipngResult !== undefined, null, { timeout: s.browserTimeoutMs, polling: 250 });
    const result = await page.evaluate(() => window.__oxipngResult);
    result.browserVersion = browser.context.browser()?.version() ?? null;
    return result;
  } finally {
    await browser?.close();
    await server.close();
  }
}

// ---- tables -------------------------------------------------------------------------------------

const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

function table(title, rows, images, s, notes) {
  const base = rows.find((r) => r.kind === 'single' && !r.na);
  const baseMs = new Map(base?.results.map((r) => [`${r.image}|${r.level}`, r.median]) ?? []);
  const cells = [];
  for (const image of images) for (const level of s.levels) cells.push({ key: `${image.name}|${level}`, label: `${image.label} L${level} ms` });
  const tableRows = rows.map((row) => {
    if (row.na) return row;
    const out = {
      name: row.name,
      start: row.startRuns.length > 1 ? `${row.startMs.toFixed(0)} (${row.startRuns[0].toFixed(0)})` : row.startMs.toFixed(0),
    };
    const ratios = [];
    const differ = [];
    for (const r of row.results) {
      const key = `${r.image}|${r.level}`;
      const b = baseMs.get(key);
      const ratio = typeof b === 'number' && b > 0 ? r.median / b : undefined;
      if (ratio !== undefined) ratios.push(ratio);
      out[key] = `${r.median.toFixed(1)} (${ratio === undefined ? '–' : ratio.toFixed(2) + '×'})`;
      if (r.identical === false) differ.push(`${images.find((i) => i.name === r.image)?.label ?? r.image} L${r.level} (${r.size} B)`);
    }
    out.geomean = ratios.length === row.results.length && ratios.length ? `${geomean(ratios).toFixed(2)}×` : '–';
    out.outputs = row.kind === 'single' ? 'reference'
      : differ.length ? `**MISMATCH**: ${differ.join(', ')}`
      : row.results.every((r) => r.identical === true) ? 'identical' : 'not checked';
    return out;
  });
  return markdownTable({
    title,
    nameLabel: 'build',
    columns: [
      { key: 'start', label: s.starts > 1 ? 'start ms (first)' : 'start ms' },
      ...cells.map((c) => ({ key: c.key, label: c.label })),
      { key: 'geomean', label: 'geomean × single' },
      { key: 'outputs', label: 'outputs vs single' },
    ],
    rows: tableRows,
    notes,
  });
}

function commonNotes(s, images) {
  const sizes = images.map((i) => `${i.label} ${(i.png.length / 1024).toFixed(0)} KiB`).join(', ');
  const largest = images.reduce((a, b) => (b.png.length > a.png.length ? b : a));
  return [
    `Each cell: median ms of \`optimise(png, level, false, false)\` over ${s.runs} rounds, and in ` +
      'parentheses that time ÷ the single-threaded build\'s (below 1.00× is faster); "geomean × single" is the geometric ' +
      'mean of those ratios. The rows are measured together, interleaved: in every round each row runs each image and ' +
      'level once, the row order rotated by one per round. Before any timing every row is warmed up to steady state ' +
      `(${largest.label} L${s.levels[0]} until its time stops dropping, ${s.settleMin} to ${s.settleMax} calls), then ` +
      `${s.warmup} untimed round${s.warmup === 1 ? '' : 's'} of every cell. ` +
      `"start ms": until the first call can run, median of ${s.starts} start${s.starts === 1 ? '' : 's'}, timed one row after ` +
      'the other' + (s.starts > 1 ? ' (the first one in parentheses; later ones may reuse the engine\'s cache of the compiled module)' : '') + '. ' +
      `Inputs (zlib level 1, filter 0): ${sizes}.`,
  ];
}

function closeNotes(rows) {
  return rows.filter((r) => r.closeError).map((r) => `**${r.name}: ${r.closeError}** (closes come after all the timing; what it left running may slow the families after it).`);
}

export const title = 'oxipng (@jsquash/oxipng): single-threaded build vs wasm-bindgen-rayon on weft';

export async function run(config, log) {
  const s = settings(config);
  if (!exists(PARALLEL_GLUE) || !exists(SINGLE_GLUE)) throw new Error('@jsquash/oxipng not installed (npm install)');
  const images = testImages();
  const tables = [];
  const data = { settings: s };

  log(`oxipng: Node, levels ${s.levels.join(',')}, threads ${s.threads.join(',')}`);
  try {
    data.node = await runNode(s, images, log);
    tables.push(table(`oxipng in Node ${process.version}: single-threaded build vs weft createBindgenPool (rayon)`, data.node.rows, images, s, [
      ...commonNotes(s, images),
      'The single-threaded build runs on the bench\'s main thread (start: fresh glue import + `init(wasm bytes)`); weft: ' +
        '`createBindgenPool({ glue: codec/pkg-parallel/…, rayonThreads: n })`, one caller thread plus n rayon threads, ' +
        'each call a `pool.run` round trip (arguments and result structured-cloned).',
      ...closeNotes(data.node.rows),
    ]));
  } catch (err) {
    data.node = { error: String(err?.stack ?? err) };
    tables.push(`### oxipng in Node\n\nn/a (${reason(err)})\n`);
  }

  log('oxipng: Chromium');
  try {
    const r = await withTimeout(driveChromium(s, images, log), s.browserTimeoutMs + 60_000, 'oxipng chromium');
    data.chromium = r;
    const ua = r.userAgent?.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium';
    const header = `${ua} · hardwareConcurrency ${r.hardwareConcurrency} · crossOriginIsolated ${r.crossOriginIsolated}`;
    if (r.error) {
      tables.push(`### oxipng in Chromium\n\n${header}\n\nn/a (${r.error})\n`);
    } else {
      // The browser's single-threaded outputs against Node's, by hash.
      const nodeHashes = new Set(data.node?.referenceHashes ?? []);
      const pageSingle = r.rows.find((x) => x.kind === 'single' && !x.na);
      let crossCheck = '';
      if (pageSingle && nodeHashes.size) {
        const same = pageSingle.results.every((x) => nodeHashes.has(`${x.image}|${x.level}|${x.hash}`));
        crossCheck = same ? ' The single-threaded outputs are the same as Node\'s.' : ' **The single-threaded outputs differ from Node\'s.**';
      }
      tables.push(table('oxipng in Chromium: single-threaded build vs weft createBindgenPool vs the package\'s own rayon helper', r.rows, images, s, [
        header,
        ...commonNotes(s, images),
        'Every row is timed from the page, each call a round trip to a worker (arguments and result structured-cloned). ' +
          'Single: `codec/pkg` in a module worker (start: new Worker, import, `init()`); weft: `createBindgenPool` from ' +
          '/dist/wasm-bindgen/index.js; package helper: a module worker that imports `codec/pkg-parallel/squoosh_oxipng.js`, ' +
          '`await init(); await initThreadPool(n)` (the shipped wasm-bindgen-rayon 1.0 helper, nested workers; the bench ' +
          'server answers its directory import `../../../` with package.json\'s "module").' + crossCheck,
        ...closeNotes(r.rows),
      ]));
    }
  } catch (err) {
    data.chromium = { error: String(err?.stack ?? err) };
    tables.push(`### oxipng in Chromium\n\nn/a (${reason(err)})\n`);
  }
  return { tables, data };
}
