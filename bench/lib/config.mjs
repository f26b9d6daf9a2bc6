// Command line / environment settings for the bench, and sizes for full and quick runs.
import os from 'node:os';

const FAMILIES = ['roundtrip', 'throughput', 'busy', 'startup', 'scaling', 'browser', 'wasi', 'oxipng', 'rewrite', 'cli-start', 'bindgen-calls'];

function envFlag(name) {
  const v = process.env[name];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function envInt(name) {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

export function usage() {
  return [
    'usage: node bench/run.mjs [--quick] [--only a,b] [--json FILE]',
    '',
    `  --quick        small counts (same as BENCH_QUICK=1), for development on a busy machine`,
    `  --only LIST    comma-separated families to run (or BENCH_ONLY): ${FAMILIES.join(', ')}`,
    '  --json FILE    also write every raw number to FILE',
    '',
    'environment: BENCH_QUICK, BENCH_ONLY, BENCH_SPIN_US (bound of the spin-then-wait rows, µs; default 20),',
    '             BENCH_TASKS (throughput task count), BENCH_MANDEL_SIZE (image side, pixels),',
    '             BENCH_WASM_DIR / BENCH_DIST_DIR / BENCH_NATIVE_DIR (other builds of the wasm modules / weft / native)',
    '             BENCH_OXIPNG_LEVELS (oxipng levels, e.g. 2,3; default 2,3, quick 2)',
  ].join('\n');
}

export function parseArgs(argv = process.argv.slice(2)) {
  const opts = { quick: envFlag('BENCH_QUICK'), only: process.env.BENCH_ONLY || '', json: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--only') opts.only = argv[++i] ?? '';
    else if (a.startsWith('--only=')) opts.only = a.slice(7);
    else if (a === '--json') opts.json = argv[++i] ?? null;
    else if (a.startsWith('--json=')) opts.json = a.slice(7);
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a}\n\n${usage()}`);
  }
  if (opts.json === '') throw new Error('--json needs a file name');
  const only = opts.only ? opts.only.split(',').map((s) => s.trim()).filter(Boolean) : FAMILIES;
  for (const f of only) if (!FAMILIES.includes(f)) throw new Error(`unknown family ${f}; known: ${FAMILIES.join(', ')}`);
  return { ...opts, families: only };
}

/** All sizes in one place. Quick mode keeps every family to a few seconds. */
export function makeConfig({ quick }) {
  const parallelism = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const spinUs = envInt('BENCH_SPIN_US') ?? 20;
  const mandelSize = envInt('BENCH_MANDEL_SIZE') ?? (quick ? 512 : 2048);
  const oxipngLevels = process.env.BENCH_OXIPNG_LEVELS
    ? process.env.BENCH_OXIPNG_LEVELS.split(',').map((l) => {
      const n = Number(l.trim());
      if (!Number.isInteger(n) || n < 0 || n > 6) throw new Error(`BENCH_OXIPNG_LEVELS must list levels 0..6, got ${JSON.stringify(process.env.BENCH_OXIPNG_LEVELS)}`);
      return n;
    })
    : quick ? [2] : [2, 3];
  return {
    quick,
    parallelism,
    roundtrip: quick
      ? { warmup: 200, samples: 500, rounds: 3, spinUs, deadlineMs: 10_000 }
      : { warmup: 2000, samples: 5000, rounds: 5, spinUs, deadlineMs: 60_000 },
    throughput: {
      tasks: envInt('BENCH_TASKS') ?? (quick ? 10_000 : 100_000),
      workers: parallelism,
      warmup: 1,
      runs: quick ? 2 : 3,
      deadlineMs: quick ? 20_000 : 90_000,
    },
    // Quiet, then one CPU burner per core: the round-trip and 100k-task rows again, and an idle pool's CPU.
    busy: {
      roundtrip: quick
        ? { warmup: 200, samples: 500, rounds: 3, deadlineMs: 10_000 }
        // Why 9 rounds: on this shared VM one or two rounds in five can land in a slow spell of
        // the host (every row 5-20x slower), enough to move a median of five.
        : { warmup: 1000, samples: 2000, rounds: 9, deadlineMs: 30_000 },
      throughput: {
        tasks: envInt('BENCH_TASKS') ?? (quick ? 10_000 : 100_000),
        workers: parallelism,
        warmup: 1,
        runs: quick ? 2 : 3,
        deadlineMs: quick ? 20_000 : 60_000,
      },
      idleAfterMs: 10,
      idleOverMs: quick ? 300 : 1000,
      // The burners end themselves after this even if the run dies.
      burnerMaxMs: quick ? 120_000 : 600_000,
    },
    startup: {
      threads: [1, 2, 4, 8],
      warmup: 1,
      runs: quick ? 3 : 9,
      deadlineMs: quick ? 15_000 : 60_000,
    },
    scaling: {
      width: mandelSize,
      height: mandelSize,
      iterations: 256,
      threads: Array.from({ length: Math.max(2, parallelism) }, (_, i) => i + 1),
      warmup: quick ? 1 : 2,
      runs: quick ? 3 : 5,
      nativeRuns: quick ? 3 : 5,
      deadlineMs: quick ? 30_000 : 180_000,
    },
    browser: {
      // Browser clocks are coarse (5 µs or worse even when cross-origin isolated), so each
      // sample times a batch of round trips.
      roundtrip: quick
        ? { warmup: 200, samples: 50, batch: 10, rounds: 3, deadlineMs: 10_000 }
        : { warmup: 2000, samples: 250, batch: 20, rounds: 9, deadlineMs: 60_000 }, // 9: as busy.roundtrip
      // Many empty tasks at once (weft, workerpool, comlink): the first run is a warm-up.
      throughput: { tasks: quick ? 10_000 : 100_000, runs: quick ? 2 : 3, timeoutMs: 120_000 },
      startupRuns: quick ? 3 : 9,
      mandelbrot: { width: mandelSize, height: mandelSize, iterations: 256, warmup: quick ? 1 : 2, runs: quick ? 3 : 5 },
      timeoutMs: quick ? 90_000 : 420_000,
    },
    // weft run vs node + node:wasi, whole processes: rounds of every command (after one warm-up each).
    cliStart: { runs: quick ? 3 : 20, timeoutMs: 30_000 },
    // A generated plain wasip1 module of ~30 MiB: memory rewrite + compile vs compile.
    rewrite: {
      codeMiB: 20,
      functionBytes: 2048,
      dataMiB: 8,
      customMiB: 2,
      warmup: 1,
      runs: quick ? 3 : 15,
      deadlineMs: quick ? 20_000 : 120_000,
    },
    bindgenCalls: {
      latency: { rounds: quick ? 3 : 7, samples: quick ? 200 : 1000, warmup: 100 },
      keygen: { warmup: quick ? 0 : 1, runs: quick ? 1 : 3, timeoutMs: 600_000 },
    },
    oxipng: {
      levels: oxipngLevels,
      // weft's rayonThreads (and the package helper's initThreadPool) for 1, 2 and N threads;
      // N = availableParallelism, listed once when it is 1 or 2.
      threads: [...new Set([1, 2, parallelism])],
      // Warm-up before any timing, for every row: calls on the largest image at the first level
      // until the time stops dropping (at least settleMin, at most settleMax calls), then `warmup`
      // untimed rounds of every image and level; then `runs` timed rounds (rows interleaved).
      settleMin: 3,
      settleMax: quick ? 5 : 8,
      warmup: 1,
      runs: quick ? 3 : 7,
      // Pool starts timed per row (the last one is the pool that is measured).
      starts: quick ? 1 : 3,
      callTimeoutMs: 60_000,
      startTimeoutMs: 60_000,
      // The whole Chromium part (launch, every row, close).
      browserTimeoutMs: quick ? 150_000 : 420_000,
    },
  };
}
