// Family 4: scaling of a compute-bound kernel. Mandelbrot (wasm/mandelbrot.wasm) through weft's
// parallelFor for 1..max(2, availableParallelism) threads, against a native C build of the same
// kernel (bench/native/mandelbrot-native, built by bench/native/build.sh).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { median, measureRuns, withTimeout } from './lib/stats.mjs';
import { markdownTable, reason } from './lib/table.mjs';
import { loadWeft, requireWasm, nativeDir, repoRoot, exists } from './lib/paths.mjs';

const execFileP = promisify(execFile);
const NATIVE = 'native C, 1 thread';

/** Build the native binary if it is missing, then run it `runs` times. */
async function nativeMandelbrot(m, log) {
  const bin = new URL('mandelbrot-native', nativeDir);
  const build = new URL('build.sh', nativeDir);
  if (!exists(bin)) {
    if (!exists(build)) throw new Error('bench/native/build.sh not there yet');
    log('scaling: building bench/native/mandelbrot-native');
    try {
      await execFileP('bash', [fileURLToPath(build)], { cwd: fileURLToPath(repoRoot), timeout: 180_000 });
    } catch (err) {
      throw new Error(`bench/native/build.sh failed: ${(err.stderr || err.message || '').trim().split('\n').pop()}`);
    }
    if (!exists(bin)) throw new Error('bench/native/build.sh did not produce mandelbrot-native');
  }
  const times = [];
  let checksum;
  for (let i = 0; i < m.nativeRuns; i++) {
    const { stdout } = await execFileP(fileURLToPath(bin), [String(m.width), String(m.height), String(m.iterations)], { timeout: 120_000 });
    const line = stdout.trim().split('\n').pop();
    let out;
    try {
      out = JSON.parse(line);
    } catch {
      throw new Error(`mandelbrot-native printed ${JSON.stringify(line.slice(0, 80))}, not JSON`);
    }
    if (typeof out.ms !== 'number') throw new Error('mandelbrot-native output has no numeric ms');
    times.push(out.ms);
    checksum = out.checksum;
  }
  return { median: median(times), min: Math.min(...times), runs: times, checksum };
}

async function weftMandelbrot(createPool, module, t, m) {
  const pool = await withTimeout(createPool({ module, threads: t }), 30_000, `createPool threads: ${t}`);
  try {
    const budget = m.deadlineMs + 60_000;
    await withTimeout(pool.run('mandelbrot_setup', m.width, m.height, m.iterations), 30_000, 'mandelbrot_setup');
    // Why warm up: the first long call of an export runs in V8's baseline tier (Liftoff) and can
    // be several times slower than later calls in the optimizing tier.
    const r = await withTimeout(
      measureRuns(() => pool.parallelFor('mandelbrot_rows', 0, m.height), { warmup: m.warmup, runs: m.runs, deadlineMs: m.deadlineMs / 4 }),
      budget,
      `parallelFor with ${t} threads`,
    );
    const checksum = await withTimeout(pool.run('mandelbrot_checksum'), 30_000, 'mandelbrot_checksum');
    return { ...r, checksum };
  } finally {
    await withTimeout(pool.close(), 10_000, 'pool.close()').catch(() => {});
  }
}

export const title = 'Scaling: Mandelbrot through weft parallelFor (Node)';

export async function run(config, log) {
  const m = { ...config.scaling };
  const rows = [];

  log('scaling: native');
  const native = { name: NATIVE };
  try {
    const r = await nativeMandelbrot(m, log);
    Object.assign(native, { ms: r.median, min: r.min, runs: r.runs, checksum: r.checksum });
  } catch (err) {
    native.na = reason(err);
  }
  rows.push(native);

  let weftError = null;
  let createPool;
  let module;
  try {
    ({ createPool } = await loadWeft());
    module = requireWasm('mandelbrot.wasm'); // a URL, as users pass it; each pool compiles it (not timed)
  } catch (err) {
    weftError = reason(err);
  }
  let t1;
  for (const t of m.threads) {
    const row = { name: `weft, ${t} thread${t === 1 ? '' : 's'}`, threads: t };
    rows.push(row);
    if (weftError) {
      row.na = weftError;
      continue;
    }
    log(`scaling: ${t} threads`);
    try {
      const r = await weftMandelbrot(createPool, module, t, m);
      Object.assign(row, { ms: r.median, min: r.min, runs: r.runs, checksum: r.checksum });
      if (t === 1) t1 = r.median;
      if (t1 !== undefined) {
        row.speedup = t1 / r.median;
        row.efficiency = row.speedup / t;
      }
    } catch (err) {
      row.na = reason(err);
    }
  }

  const sums = rows.filter((r) => !r.na && r.checksum !== undefined).map((r) => `${r.name}: ${String(r.checksum)}`);
  const distinct = new Set(rows.filter((r) => !r.na && r.checksum !== undefined).map((r) => String(r.checksum)));
  const checksumNote =
    distinct.size === 0 ? 'Checksums: none measured.' :
    distinct.size === 1 ? `Checksums: all equal (${[...distinct][0]}).` :
    `**Checksums differ**: ${sums.join('; ')}.`;
  const w1 = rows.find((r) => r.threads === 1 && !r.na);
  const ratioNote = w1 && !native.na
    ? `Single-thread wasm ÷ native = ${(w1.ms / native.ms).toFixed(2)}×.`
    : 'Single-thread wasm ÷ native: n/a.';
  const table = markdownTable({
    title: `${title}: ${m.width}×${m.height}, ${m.iterations} iterations`,
    nameLabel: 'run',
    columns: [
      { key: 'ms', label: 'median ms', digits: 1 },
      { key: 'min', label: 'min ms', digits: 1 },
      { key: 'speedup', label: 'speedup vs 1 thread', format: (v) => (typeof v === 'number' ? `${v.toFixed(2)}×` : '') },
      { key: 'efficiency', label: 'efficiency', format: (v) => (typeof v === 'number' ? `${(v * 100).toFixed(0)}%` : '') },
    ],
    rows,
    baseline: NATIVE,
    ratioOf: 'ms',
    ratioLabel: '× native',
    notes: [
      `weft: pool.run('mandelbrot_setup', ${m.width}, ${m.height}, ${m.iterations}), ${m.warmup} warm-up then median of ` +
        `${m.runs} timed pool.parallelFor('mandelbrot_rows', 0, ${m.height}) (default chunk size). ` +
        `Native: median of ${m.nativeRuns} runs of bench/native/mandelbrot-native (its own timing).`,
      `${ratioNote} ${checksumNote}`,
    ],
  });
  return { tables: [table], data: { rows, settings: m } };
}
