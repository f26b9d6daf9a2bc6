// The rows of the oxipng family, shared by Node (bench/oxipng.mjs) and the Chromium page
// (bench/browser/oxipng-page.mjs). Three steps:
//   startRow      times the starts of one implementation, one row after the other, and keeps
//                 the last instance open;
//   measureRows   runs optimise on every image and level for all open rows together: a warm-up
//                 that brings every row to steady state, then rounds in which every row runs
//                 each call once (interleaved, the row order rotated every round), median per row;
//                 checks each output against the reference row's;
//   closeRows     closes them.
// Why interleaved: V8 tiers wasm functions up (Liftoff, then TurboFan in background threads)
// and shares compiled code between instances of the same module bytes in a process, so rows
// measured one after the other favour the later ones (and the machine's load drifts over time).
// No node: imports.
import { median, withTimeout } from './stats.mjs';
import { reason } from './table.mjs';
import { sameBytes, fnv1a } from './bytes.mjs';

/**
 * An open row: the data that goes into the table (`row`), the running instance, its outputs.
 * @typedef {{ row: object, impl: object | null, outputs: Map<string, Uint8Array> }} Entry
 */

/**
 * Starts one implementation `starts` times (timed; all but the last closed again) and keeps the
 * last instance open for measureRows.
 * @param {object} spec   { name, kind, threads } — copied into the row
 * @param {(k: number) => { ready: Promise<void>, optimise(png, level): Promise<Uint8Array>, close(): Promise<void> }} start
 *        starts one instance; `ready` settles when it can take calls; `close` works at any time
 * @param {object} opts   { starts, startTimeoutMs, log? }
 * @returns {Promise<Entry>} the row has startMs and startRuns, or `na` with the reason
 */
export async function startRow(spec, start, opts) {
  const { starts, startTimeoutMs, log = () => {} } = opts;
  const entry = { row: { ...spec, startRuns: [], results: [] }, impl: null, outputs: new Map() };
  try {
    for (let k = 0; k < starts; k++) {
      const t0 = performance.now();
      entry.impl = start(k);
      await withTimeout(entry.impl.ready, startTimeoutMs, `${spec.name}: start`);
      entry.row.startRuns.push(performance.now() - t0);
      if (k < starts - 1) await closeImpl(entry, `close after start ${k + 1}`, log);
    }
    entry.row.startMs = median(entry.row.startRuns);
    log(`${spec.name}: started in ${entry.row.startRuns.map((t) => t.toFixed(0)).join(', ')} ms`);
  } catch (err) {
    fail(entry, err, log);
    await closeImpl(entry, 'close after the failed start', log);
  }
  return entry;
}

/**
 * Measures every open row on every image and level, interleaved:
 *  1. warm-up to steady state: on the largest image at the first level, rounds in which every
 *     row not yet steady runs once, until its time stops dropping (the last call is not 5 %
 *     faster than the best before it) after at least `settleMin` calls, or `settleMax` calls;
 *  2. `warmup` rounds of every image and level, not timed;
 *  3. `runs` timed rounds: image by image, level by level, every row once.
 * The row order rotates by one every round, so no row always runs first or after the same one.
 * Fills each row's `warmupRuns` (ms of step 1) and `results` [{ image, level, median, min, runs,
 * size, hash, identical }]; `identical` compares with the outputs of `referenceEntry` (null when
 * it has none). A row whose call fails gets `na`, is closed and drops out; the others go on.
 * @param {Entry[]} entries
 * @param {object} opts   { images: [{ name, png }], levels, warmup, runs, settleMin, settleMax,
 *                          callTimeoutMs, referenceEntry?, log? }
 */
export async function measureRows(entries, opts) {
  const { images, levels, warmup, runs, settleMin, settleMax, callTimeoutMs, referenceEntry = null, log = () => {} } = opts;
  const live = () => entries.filter((e) => e.impl && !e.row.na);
  const rotate = (list, k) => (list.length ? list.map((_, i) => list[(i + k) % list.length]) : list);
  /** One call of `e` on (image, level): its time in ms, or undefined when the row failed. */
  const call = async (e, image, level) => {
    try {
      const t0 = performance.now();
      const out = await withTimeout(e.impl.optimise(image.png, level), callTimeoutMs, `${e.row.name}: optimise(${image.name}, ${level})`);
      const ms = performance.now() - t0;
      if (!(out instanceof Uint8Array)) throw new Error(`optimise returned ${Object.prototype.toString.call(out)}, not a Uint8Array`);
      e.outputs.set(`${image.name}|${level}`, out);
      return ms;
    } catch (err) {
      fail(e, err, log);
      await closeImpl(e, 'close after the failed call', log);
      return undefined;
    }
  };

  // 1. Warm-up to steady state.
  const largest = images.reduce((a, b) => (b.png.length > a.png.length ? b : a));
  const settled = new Set();
  for (const e of live()) e.row.warmupRuns = [];
  for (let round = 0; round < settleMax; round++) {
    const todo = rotate(live().filter((e) => !settled.has(e)), round);
    if (!todo.length) break;
    for (const e of todo) {
      const ms = await call(e, largest, levels[0]);
      if (ms === undefined) continue;
      const w = e.row.warmupRuns;
      w.push(ms);
      if (w.length >= settleMin && ms >= 0.95 * Math.min(...w.slice(0, -1))) settled.add(e);
    }
  }
  for (const e of live()) {
    e.row.warmupSteady = settled.has(e);
    log(`${e.row.name}: warm-up ${largest.name} L${levels[0]}: ${e.row.warmupRuns.map((t) => t.toFixed(0)).join(' ')} ms` +
      (settled.has(e) ? '' : ' (still dropping at the limit)'));
  }

  // 2. and 3. Untimed rounds, then timed rounds, every row once per image and level.
  const times = new Map(entries.map((e) => [e, new Map()]));
  for (let round = 0; round < warmup + runs; round++) {
    const timed = round >= warmup;
    for (const image of images) {
      for (const level of levels) {
        const key = `${image.name}|${level}`;
        for (const e of rotate(live(), round)) {
          const ms = await call(e, image, level);
          if (ms === undefined || !timed) continue;
          const t = times.get(e);
          if (!t.has(key)) t.set(key, []);
          t.get(key).push(ms);
        }
      }
    }
    log(`${timed ? `round ${round - warmup + 1}/${runs}` : `warm-up round ${round + 1}/${warmup}`} done`);
  }

  for (const e of entries) {
    if (e.row.na) continue;
    for (const image of images) {
      for (const level of levels) {
        const key = `${image.name}|${level}`;
        const t = times.get(e).get(key) ?? [];
        const out = e.outputs.get(key);
        const ref = referenceEntry && !referenceEntry.row.na && referenceEntry !== e ? referenceEntry.outputs.get(key) : undefined;
        e.row.results.push({
          image: image.name,
          level,
          median: median(t),
          min: Math.min(...t),
          runs: t,
          size: out.length,
          hash: fnv1a(out),
          identical: ref ? sameBytes(out, ref) : null,
        });
      }
    }
    log(`${e.row.name}: ${e.row.results.map((r) => `${r.image} L${r.level} ${r.median.toFixed(1)}`).join(', ')} ms`);
  }
}

/** Closes every entry still open, one after the other; the row gets closeMs (or closeError). */
export async function closeRows(entries, log = () => {}) {
  for (const e of entries) {
    if (e.impl) e.row.closeMs = await closeImpl(e, 'close after the runs', log);
  }
}

/** Row names, the same in both tables. */
export const ROW_NAMES = {
  single: 'single-threaded codec/pkg',
  weft: (n) => `weft createBindgenPool, rayonThreads ${n}`,
  helper: (n) => `package helper, initThreadPool(${n})`,
};

function fail(entry, err, log) {
  if (entry.row.na) return;
  entry.row.na = reason(err);
  entry.row.results = [];
  log(`${entry.row.name}: ${entry.row.na}`);
}

/** Closes the entry's instance; `what` says which close failed in the row's closeError. */
async function closeImpl(entry, what, log) {
  const impl = entry.impl;
  entry.impl = null;
  if (!impl) return undefined;
  const t0 = performance.now();
  try {
    await withTimeout(impl.close(), 15_000, 'close()');
    return performance.now() - t0;
  } catch (err) {
    const msg = `${what}: ${reason(err)}`;
    entry.row.closeError = entry.row.closeError ? `${entry.row.closeError}; ${msg}` : msg;
    log(`${entry.row.name}: ${msg}`);
    return undefined;
  }
}
