// One row of the oxipng family, shared by Node (bench/oxipng.mjs) and the Chromium page
// (bench/browser/oxipng-page.mjs): start an implementation (timed), run optimise on every image
// and level (warm-up, then timed runs), check each output against the reference row's, close.
// No node: imports.
import { median, withTimeout } from './stats.mjs';
import { reason } from './table.mjs';
import { sameBytes, fnv1a } from './bytes.mjs';

/**
 * @param {object} spec       { name, kind, threads } — copied into the row
 * @param {(k: number) => { ready: Promise<void>, optimise(png, level): Promise<Uint8Array>, close(): Promise<void> }} start
 *        starts one instance; `ready` settles when it can take calls; `close` works at any time
 * @param {object} opts       { images: [{ name, png }], levels, warmup, runs, starts, callTimeoutMs,
 *                              startTimeoutMs, reference?: Map<"image|level", Uint8Array>, log? }
 * @returns {Promise<{ row: object, outputs: Map<string, Uint8Array> }>} the row is plain data
 *          (no bytes): startMs, startRuns, closeMs, results[{ image, level, median, min, runs,
 *          size, hash, identical }], or `na` with the reason
 */
export async function measureRow(spec, start, opts) {
  const { images, levels, warmup, runs, starts, callTimeoutMs, startTimeoutMs, reference = null, log = () => {} } = opts;
  const row = { ...spec, startRuns: [], results: [] };
  const outputs = new Map();
  let impl = null;
  // `what` says which close failed: one between the timed starts, or the last one.
  const closeImpl = async (what) => {
    const i = impl;
    impl = null;
    if (!i) return;
    const t0 = performance.now();
    try {
      await withTimeout(i.close(), 15_000, 'close()');
      return performance.now() - t0;
    } catch (err) {
      const msg = `${what}: ${reason(err)}`;
      row.closeError = row.closeError ? `${row.closeError}; ${msg}` : msg;
      log(`${spec.name}: ${msg}`);
      return undefined;
    }
  };
  try {
    for (let k = 0; k < starts; k++) {
      const t0 = performance.now();
      impl = start(k);
      await withTimeout(impl.ready, startTimeoutMs, `${spec.name}: start`);
      row.startRuns.push(performance.now() - t0);
      if (k < starts - 1) await closeImpl(`close after start ${k + 1}`);
    }
    row.startMs = median(row.startRuns);
    for (const image of images) {
      for (const level of levels) {
        const call = () => withTimeout(impl.optimise(image.png, level), callTimeoutMs, `${spec.name}: optimise(${image.name}, ${level})`);
        let out;
        for (let i = 0; i < warmup; i++) out = await call();
        const times = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          out = await call();
          times.push(performance.now() - t0);
        }
        if (!(out instanceof Uint8Array)) throw new Error(`optimise returned ${Object.prototype.toString.call(out)}, not a Uint8Array`);
        const key = `${image.name}|${level}`;
        outputs.set(key, out);
        const ref = reference?.get(key);
        row.results.push({
          image: image.name,
          level,
          median: median(times),
          min: Math.min(...times),
          runs: times,
          size: out.length,
          hash: fnv1a(out),
          identical: reference ? (ref ? sameBytes(out, ref) : null) : null,
        });
        log(`${spec.name}: ${image.name} L${level} ${median(times).toFixed(1)} ms`);
      }
    }
  } catch (err) {
    row.na = reason(err);
    log(`${spec.name}: ${row.na}`);
  } finally {
    row.closeMs = await closeImpl('close after the runs');
  }
  return { row, outputs };
}

/** Row names, the same in both tables. */
export const ROW_NAMES = {
  single: 'single-threaded codec/pkg',
  weft: (n) => `weft createBindgenPool, rayonThreads ${n}`,
  helper: (n) => `package helper, initThreadPool(${n})`,
};
