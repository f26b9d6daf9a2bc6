// Family `rewrite`: what weft adds to the start of a large plain wasm32-wasip1 program. Such a
// program defines its own memory, and runWasi rewrites it to import that memory shared before
// its one compile; this times that rewrite + compile against a plain WebAssembly.compile of the
// original, on a generated module of ~30 MiB (code, data and a custom section): in place, as for
// a file weft reads (runWasi(path), weft run), and as a copy, as for bytes the caller gives.
import { performance } from 'node:perf_hooks';
import { median } from './lib/stats.mjs';
import { markdownTable, reason } from './lib/table.mjs';
import { distDir, exists, repoRoot } from './lib/paths.mjs';

export const title = 'Large plain wasip1 module: memory rewrite + compile vs compile (Node)';

const MiB = 1024 * 1024;

/** Offset of the custom section's padding, where each round writes its own number. */
function paddingOffset(bytes, listSections) {
  const custom = listSections(bytes).find((s) => s.id === 0);
  if (custom === undefined) throw new Error('generated module has no custom section');
  return custom.start + 32; // past the section's name
}

export async function run(config, log) {
  const c = config.rewrite;
  const rows = [
    { name: 'WebAssembly.compile(original)', key: 'compile' },
    { name: 'weft, file: rewrite in place + WebAssembly.compile', key: 'inPlaceCompile' },
    { name: 'weft, bytes: rewrite to a copy + WebAssembly.compile', key: 'rewriteCompile' },
    { name: 'weft: rewrite in place alone', key: 'inPlace' },
    { name: 'weft: rewrite to a copy alone', key: 'rewrite' },
    { name: 'reference: one copy into a fresh buffer', key: 'copy' },
  ];
  let importOwnMemory;
  let rewriteOwnMemory;
  let headroom;
  let fixture;
  try {
    const url = new URL('core/import-own-memory.js', distDir);
    if (!exists(url)) throw new Error('dist/core/import-own-memory.js not built');
    ({ importOwnMemory, rewriteOwnMemory, REWRITE_HEADROOM: headroom } = await import(url.href));
    if (typeof rewriteOwnMemory !== 'function') throw new Error('dist/core/import-own-memory.js has no rewriteOwnMemory');
    fixture = await import(new URL('test/fixtures/wasi/large-wasip1.mjs', repoRoot).href);
  } catch (err) {
    const na = reason(err);
    return { tables: [markdownTable({ title, nameLabel: 'step', columns: [{ key: 'median', label: 'median ms' }], rows: rows.map((r) => ({ name: r.name, na })) })], data: { error: na } };
  }

  const t0 = performance.now();
  const generated = fixture.largeWasip1Module({ codeBytes: c.codeMiB * MiB, functionBytes: c.functionBytes, dataBytes: c.dataMiB * MiB, customBytes: c.customMiB * MiB });
  // With free bytes before it, as weft's Node loader reads a file.
  const bytes = new Uint8Array(new ArrayBuffer(headroom + generated.length), headroom);
  bytes.set(generated);
  const stamp = paddingOffset(bytes, fixture.listSections);
  log(`rewrite: generated a ${(bytes.length / MiB).toFixed(1)} MiB module in ${(performance.now() - t0).toFixed(0)} ms`);

  const times = { compile: [], inPlaceCompile: [], rewriteCompile: [], inPlace: [], rewrite: [], copy: [] };
  /** The step each compiling step's rewrite alone is recorded under. */
  const rewriteOf = { inPlaceCompile: 'inPlace', rewriteCompile: 'rewrite' };
  /** Puts the module back after the in-place step, outside the timing. */
  let restore;
  const steps = {
    compile: async () => {
      await WebAssembly.compile(bytes);
    },
    inPlaceCompile: async () => {
      const s = performance.now();
      const rewrite = rewriteOwnMemory(bytes, { inPlace: true });
      const rewriteMs = performance.now() - s;
      restore = rewrite.restore;
      if (rewrite.bytes.buffer !== bytes.buffer) throw new Error('the rewrite was not in place');
      await WebAssembly.compile(rewrite.bytes);
      return rewriteMs;
    },
    rewriteCompile: async () => {
      const s = performance.now();
      const rewritten = importOwnMemory(bytes);
      const rewriteMs = performance.now() - s;
      await WebAssembly.compile(rewritten);
      return rewriteMs;
    },
    // The floor of any rewrite that leaves the caller's bytes alone: allocate the output and
    // copy into it. Where first touching fresh memory is slow (some VMs and sandboxes), this row
    // shows it.
    copy: async () => {
      new Uint8Array(bytes.length).set(bytes);
    },
  };
  const order = ['compile', 'inPlaceCompile', 'rewriteCompile', 'copy'];
  const start = performance.now();
  for (let round = 0; round < c.warmup + c.runs; round++) {
    // Why a new number per round and step: V8 reuses a native module compiled from identical
    // bytes while it is alive, which would time a cache lookup instead of a compile.
    for (const [i, step] of order.entries()) {
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(stamp, round * order.length + i + 1, true);
      const s = performance.now();
      let rewriteMs;
      let ms;
      try {
        rewriteMs = await steps[step]();
        ms = performance.now() - s;
      } finally {
        restore?.();
        restore = undefined;
      }
      if (round >= c.warmup) {
        times[step].push(ms);
        if (rewriteMs !== undefined) times[rewriteOf[step]].push(rewriteMs);
      }
    }
    order.push(order.shift()); // no step always runs first
    if (round >= c.warmup && performance.now() - start > c.deadlineMs) {
      log(`rewrite: deadline reached after ${round + 1 - c.warmup} timed rounds`);
      break;
    }
  }

  const compileMedian = median(times.compile);
  const tableRows = rows.map((r) => ({
    name: r.name,
    median: median(times[r.key]),
    min: Math.min(...times[r.key]),
    throughput: bytes.length / MiB / (median(times[r.key]) / 1000),
    runs: times[r.key].length,
  }));
  const added = (key) => `${(((median(times[key]) - compileMedian) / compileMedian) * 100).toFixed(1)}%`;
  const table = markdownTable({
    title,
    nameLabel: 'step',
    columns: [
      { key: 'median', label: 'median ms', digits: 2 },
      { key: 'min', label: 'min ms', digits: 2 },
      { key: 'throughput', label: 'MiB/s', digits: 0 },
      { key: 'runs', label: 'runs', digits: 0 },
    ],
    rows: tableRows,
    baseline: rows[0].name,
    ratioLabel: '× compile',
    notes: [
      `Module: ${(bytes.length / MiB).toFixed(1)} MiB (code ${c.codeMiB} MiB in ${c.functionBytes}-byte functions, data ${c.dataMiB} MiB, custom section ${c.customMiB} MiB), ` +
        `a fresh number in its custom section before every compile. Rewriting adds ${added('inPlaceCompile')} in place and ${added('rewriteCompile')} as a copy to the compile (target: under 10%).`,
      'In place only the sections up to the memory section are rewritten (the restore after each round is not timed). ' +
        'A copy costs about the reference row: on a machine where touching fresh memory is slow, so is the copy.',
    ],
  });
  return { tables: [table], data: { moduleBytes: bytes.length, settings: c, times } };
}
