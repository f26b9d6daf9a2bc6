// Family 5: the same questions in Chromium. A tiny node:http server serves the repo root with
// COOP/COEP (so the page is crossOriginIsolated and has SharedArrayBuffer); playwright-core
// drives headless Chromium (test/shared/browser-binaries.mjs finds it); bench/browser/page.mjs measures and hands back
// window.__benchResult.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import { stat, mkdtemp, rm, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { burnerPids, withBurners } from './lib/burners.mjs';
import { descendantsCpuNs } from './lib/process-cpu.mjs';
import { withTimeout } from './lib/stats.mjs';
import { markdownTable, fmt, reason } from './lib/table.mjs';
import { repoRoot, distDir, wasmDir } from './lib/paths.mjs';
import { CHROMIUM_FLAGS, requireChromium } from '../test/shared/browser-binaries.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Static server for the repo root with the cross-origin isolation headers. `/dist/` and `/wasm/`
 * map to BENCH_DIST_DIR / BENCH_WASM_DIR when those are set.
 *
 * Options (family `oxipng`): `files`, a Map from a path (`/x/y.png`) to the bytes served there
 * (generated inputs); `packageDirs`, answer a request for a folder that holds a package.json
 * with that package's `module` (else `main`) file, as bundlers' dev servers do.
 */
export async function startServer({ files = new Map(), packageDirs = false } = {}) {
  const root = fileURLToPath(repoRoot);
  const mounts = [
    ['/dist/', fileURLToPath(distDir)],
    ['/wasm/', fileURLToPath(wasmDir)],
    ['/', root],
  ];
  const server = http.createServer(async (req, res) => {
    const headers = {
      // Why: SharedArrayBuffer (and so shared WebAssembly.Memory) exists only in a
      // crossOriginIsolated page, which needs both of these on the document and the workers.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    try {
      const url = new URL(req.url, 'http://localhost');
      const pathname = decodeURIComponent(url.pathname);
      const bytes = files.get(pathname);
      if (bytes) {
        res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(pathname)] ?? 'application/octet-stream', 'Content-Length': bytes.length });
        return res.end(req.method === 'HEAD' ? undefined : bytes);
      }
      const [prefix, dir] = mounts.find(([p]) => pathname.startsWith(p));
      const inside = (f) => f === dir || f.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
      let file = path.join(dir, pathname.slice(prefix.length));
      if (!inside(file)) throw Object.assign(new Error('outside root'), { status: 403 });
      let st = await stat(file).catch(() => null);
      if (packageDirs && st?.isDirectory()) {
        // Why: wasm-bindgen-rayon 1.0's worker does `import ... from '../../../'`, a directory
        // import that only bundlers and dev servers resolve (to package.json's "module").
        const pkg = await readFile(path.join(file, 'package.json'), 'utf8').then(JSON.parse, () => null);
        const entry = typeof pkg?.module === 'string' ? pkg.module : typeof pkg?.main === 'string' ? pkg.main : null;
        if (entry) {
          file = path.join(file, entry);
          if (!inside(file)) throw Object.assign(new Error('outside root'), { status: 403 });
          st = await stat(file).catch(() => null);
        }
      }
      if (!st || !st.isFile()) throw Object.assign(new Error('not found'), { status: 404 });
      res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch (err) {
      res.writeHead(err.status ?? 500, { ...headers, 'Content-Type': 'text/plain' });
      res.end(err.message);
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/**
 * Launch headless Chromium (playwright-core) with a fresh profile folder.
 * Returns { context, page, close() }; close() ends the browser and deletes the profile.
 */
export async function launchChromium(log) {
  const { chromium } = await import('playwright-core');
  // Debian's chromium where installed, else the binary inside the npm package @sparticuz/chromium.
  const executablePath = requireChromium().path;
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'weft-bench-chromium-'));
  let context;
  const close = async () => {
    await withTimeout(context?.close() ?? Promise.resolve(), 15_000, 'closing chromium').catch((err) => log(`browser: ${reason(err)}`));
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  };
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_FLAGS });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Opens a page on Chromium (playwright-core) or Firefox (puppeteer-core over WebDriver BiDi). */
async function openEngine(engine, log) {
  if (engine === 'chromium') {
    const browser = await launchChromium(log);
    return {
      page: browser.page,
      version: () => browser.context.browser()?.version() ?? null,
      waitFor: (fn, timeout) => browser.page.waitForFunction(fn, null, { timeout, polling: 250 }),
      close: browser.close,
    };
  }
  const { openFirefox } = await import('../test/browser/firefox.mjs');
  const firefox = await openFirefox();
  try {
    const page = await firefox.browser.newPage();
    return {
      page,
      version: () => firefox.version,
      waitFor: (fn, timeout) => page.waitForFunction(fn, { timeout, polling: 250 }),
      close: () => withTimeout(firefox.close(), 15_000, 'closing firefox').catch((err) => log(`browser: ${reason(err)}`)),
    };
  } catch (err) {
    await firefox.close();
    throw err;
  }
}

/** Runs bench/browser/page.mjs in `engine` and returns what it measured; `busy` leaves out Mandelbrot. */
async function drive(engine, config, log, { busy = false } = {}) {
  const server = await startServer();
  let browser;
  try {
    browser = await openEngine(engine, log);
    const { page } = browser;
    page.on('pageerror', (err) => log(`${engine}: page error: ${err.message}`));
    page.on('console', (msg) => { if (msg.type() === 'error') log(`${engine}: console error: ${msg.text()}`); });
    await page.exposeFunction('__benchCpuNs', () => descendantsCpuNs(burnerPids()));
    const b = config.browser;
    const cfg = { roundtrip: b.roundtrip, throughput: b.throughput, startupRuns: b.startupRuns, mandelbrot: busy ? null : b.mandelbrot };
    const url = `${server.origin}/bench/browser/index.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`;
    log(`${engine}${busy ? ' (busy)' : ''}: ${url.split('?')[0]}`);
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    // Progress lines the page writes, echoed while we wait.
    let shown = 0;
    const progress = setInterval(async () => {
      try {
        const lines = (await page.evaluate(() => document.getElementById('out')?.textContent ?? '')).split('\n').filter(Boolean);
        for (; shown < lines.length; shown++) log(`${engine}: ${lines[shown]}`);
      } catch { /* page busy or closing */ }
    }, 1000);
    try {
      await browser.waitFor(() => window.__benchResult !== undefined, b.timeoutMs);
    } finally {
      clearInterval(progress);
    }
    const result = await page.evaluate(() => window.__benchResult);
    result.browserVersion = browser.version();
    return result;
  } finally {
    await browser?.close();
    await server.close();
  }
}

export const title = 'Chromium and Firefox';

const ENGINES = [
  ['chromium', 'Chromium'],
  ['firefox', 'Firefox'],
];

/** Quiet and busy rows side by side: `quietRows` and `busyRows` have the same names. */
function sideBySide(quietRows, busyRows, keys) {
  return quietRows.map((q) => {
    const b = busyRows?.find((row) => row.name === q.name);
    const row = { ...q, na: q.na ?? b?.na };
    for (const key of keys) {
      row[`quiet_${key}`] = q[key];
      row[`busy_${key}`] = b?.[key];
    }
    return row;
  });
}

const CPU_NOTE = 'CPU = the whole browser\'s CPU (every process and thread, from /proc; the burners left out) over the block\'s calls, ' +
  'warm-up included, median over the rounds; it includes the page\'s one call to the driver before and after each block.';

const times = (v) => (typeof v === 'number' ? `${fmt(v)}×` : '–');

async function engineTables(engine, label, config, log) {
  const b = config.browser;
  const r = await withTimeout(drive(engine, config, log), b.timeoutMs + 60_000, `${engine} bench`).catch((err) => ({ error: reason(err) }));
  const busy = r.error ? undefined : await withBurners(b.timeoutMs + 120_000, () => withTimeout(drive(engine, config, log, { busy: true }), b.timeoutMs + 60_000, `${engine} bench, busy`)).catch((err) => ({ error: reason(err) }));
  const header = `${r.browserVersion ?? r.userAgent ?? label} · hardwareConcurrency ${r.hardwareConcurrency} · ` +
    `crossOriginIsolated ${r.crossOriginIsolated} · Atomics.waitAsync ${r.waitAsync ? 'yes' : 'no'}`;
  if (r.error) return { tables: [`### ${label}\n\nn/a (${r.error})\n`], data: r };
  const rt = b.roundtrip;
  const tables = [];
  const floorName = 'raw Atomics, page awaits waitAsync';
  const weftName = "weft pool.run('nothing') (default spin policy)";
  const rows = sideBySide(r.roundtrip, busy?.roundtrip, ['median', 'mean', 'cpuPerTrip']);
  const ratio = (key) => (v, row) => {
    const base = rows.find((x) => x.name === floorName && !x.na)?.[key];
    return typeof row[key] === 'number' && base > 0 ? times(row[key] / base) : '–';
  };
  const weftOver = (key) => (v, row) => {
    const weft = rows.find((x) => x.name === weftName && !x.na)?.[key];
    return typeof row[key] === 'number' && weft > 0 && row.name !== weftName ? times(row[key] / weft) : '–';
  };
  tables.push(markdownTable({
    title: `${label}: dispatch round trip of an empty task (page as the caller, 1 worker), quiet and with every core busy`,
    nameLabel: 'transport',
    columns: [
      { key: 'quiet_median', label: 'quiet median µs' },
      { key: 'quiet_mean', label: 'quiet mean µs' },
      { key: 'q_floor', label: 'quiet × floor (median)', format: ratio('quiet_median') },
      { key: 'quiet_cpuPerTrip', label: 'quiet CPU µs/trip' },
      { key: 'busy_median', label: 'busy median µs' },
      { key: 'busy_mean', label: 'busy mean µs' },
      { key: 'b_floor', label: 'busy × floor (median)', format: ratio('busy_median') },
      { key: 'busy_cpuPerTrip', label: 'busy CPU µs/trip' },
      { key: 'q_weft', label: 'quiet ÷ weft (median)', format: weftOver('quiet_median') },
      { key: 'b_weft', label: 'busy ÷ weft (median)', format: weftOver('busy_median') },
    ],
    rows,
    notes: [
      header,
      busy?.error ? `busy half: n/a (${busy.error})` : `busy: ${os.availableParallelism()} CPU burner processes (one per core) beside the browser.`,
      `floor = "${floorName}". Each sample times ${rt.batch} consecutive round trips (browser clocks are coarse); ${rt.rounds} rounds, ` +
        `the transports interleaved round by round, ${rt.samples} samples per round after ${rt.warmup} warm-up round trips (a tenth of that ` +
        'after the first round); median = median of round medians, mean = median of round means (the slow wake-ups of sleeping cores show in the mean).',
      CPU_NOTE,
    ],
  }));
  if (r.throughput?.length) {
    const tpRows = sideBySide(r.throughput, busy?.throughput, ['usPerTask', 'cpuPerTask']);
    const weftTp = tpRows.find((x) => x.name.startsWith('weft') && !x.na);
    const over = (key) => (v, row) => (typeof row[key] === 'number' && weftTp?.[key] > 0 && row !== weftTp ? times(row[key] / weftTp[key]) : '–');
    tables.push(markdownTable({
      title: `${label}: ${b.throughput.tasks.toLocaleString('en-US')} empty tasks submitted at once, quiet and busy`,
      nameLabel: 'pool',
      columns: [
        { key: 'quiet_usPerTask', label: 'quiet µs/task', digits: 3 },
        { key: 'q_over', label: 'quiet ÷ weft', format: over('quiet_usPerTask') },
        { key: 'quiet_cpuPerTask', label: 'quiet CPU µs/task', digits: 3 },
        { key: 'busy_usPerTask', label: 'busy µs/task', digits: 3 },
        { key: 'b_over', label: 'busy ÷ weft', format: over('busy_usPerTask') },
        { key: 'busy_cpuPerTask', label: 'busy CPU µs/task', digits: 3 },
      ],
      rows: tpRows,
      notes: [`Median of ${b.throughput.runs} runs after 1 warm-up run; each run submits every task, then awaits them all.`, CPU_NOTE],
    }));
  }
  const startupRows = sideBySide(r.startup.map((s) => ({ ...s, close: s.closeMedian })), busy?.startup, ['median']).map((row) => ({ ...row, quiet: row.quiet_median, busy: row.busy_median }));
  tables.push(markdownTable({
    title: `${label}: pool start for 1 worker (wasm/hello.wasm precompiled), quiet and busy`,
    nameLabel: 'start',
    columns: [
      { key: 'quiet', label: 'quiet, until ready ms' },
      { key: 'close', label: 'quiet, close ms' },
      { key: 'busy', label: 'busy, until ready ms' },
    ],
    ratioOf: 'quiet',
    rows: startupRows,
    baseline: 'bare module worker, instantiate hello.wasm',
    ratioLabel: '× bare',
    notes: [
      `Median of ${b.startupRuns} starts after 1 warm-up start. Bare: new module Worker, post {module, memory}, wait for 'ready'.` +
        (r.startup.some((s) => s.passedMemory) ? ' weft was also passed `memory`, since it asked for it (it cannot read a compiled module\'s memory limits here).' : ''),
    ],
  }));
  const m = b.mandelbrot;
  const one = r.mandelbrot.find((x) => x.threads === 1 && !x.na);
  const mrows = r.mandelbrot.map((x) => (x.na || !one ? x : { ...x, speedup: one.ms / x.ms, efficiency: one.ms / x.ms / x.threads }));
  const sums = new Set(mrows.filter((x) => !x.na).map((x) => x.checksum));
  tables.push(markdownTable({
    title: `${label}: Mandelbrot ${m.width}×${m.height}, ${m.iterations} iterations through weft parallelFor (quiet)`,
    nameLabel: 'run',
    columns: [
      { key: 'ms', label: 'median ms', digits: 1 },
      { key: 'min', label: 'min ms', digits: 1 },
      { key: 'speedup', label: 'speedup', format: (v) => (typeof v === 'number' ? `${fmt(v)}×` : '') },
      { key: 'efficiency', label: 'efficiency', format: (v) => (typeof v === 'number' ? `${(v * 100).toFixed(0)}%` : '') },
    ],
    rows: mrows,
    notes: [
      `${m.warmup} warm-up then median of ${m.runs} runs. ` +
        (sums.size === 0 ? 'Checksums: none measured.' : sums.size === 1 ? `Checksums: all equal (${[...sums][0]}).` : `**Checksums differ**: ${[...sums].join(', ')}.`),
    ],
  }));
  return { tables, data: { quiet: r, busy } };
}

export async function run(config, log) {
  const tables = [];
  const data = {};
  for (const [engine, label] of ENGINES) {
    const out = await engineTables(engine, label, config, log);
    tables.push(...out.tables);
    data[engine] = out.data;
  }
  return { tables, data };
}
