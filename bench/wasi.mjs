// Family "wasi" (Node): unmodified wasi-threads programs (wasm/wasi/*.wasm) through weft's runWasi
// and through the one JavaScript peer, @emnapi/wasi-threads + @tybys/wasm-util
// (bench/workers/emnapi-wasi.mjs and emnapi-wasi-thread.mjs, set up as the package README's Node
// example). Three tables from one run:
//   1. which programs each host runs (outcome of one run of every program, with the tests' args);
//   2. spawn and join 1,000 threads in batches of 8 (wasm/src/wasi/spawn-join.c);
//   3. the threaded C workload (c-primes) on 1 and N threads.
// Every attempt runs in a child process (workers/wasi-child.mjs) that is killed past a time limit
// or a memory limit, so a host that hangs is reported as such instead of blocking the bench.
import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/stats.mjs';
import { markdownTable, reason } from './lib/table.mjs';
import { wasmDir, distDir, exists } from './lib/paths.mjs';
import { attempt, PEER_EXEC_ARGV } from './lib/wasi-attempt.mjs';
import { clip, expectedCell, lastLine, outcome, PROGRAMS, SPAWN_JOIN_BATCH, withPreopen } from './lib/wasi-programs.mjs';

const WEFT = 'weft runWasi';
const PEER = '@emnapi/wasi-threads + @tybys/wasm-util';
const PEER_SHORT = '@emnapi/wasi-threads';

/** Known prime counts (c-primes.c's header), to check the workload's result. */
const PRIME_COUNTS = { 2: 0, 100: 25, 200000: 17984, 500000: 41538, 1000000: 78498, 2000000: 148933, 10000000: 664579 };

function envNumber(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

function settings(config) {
  const quick = config.quick;
  const n = Math.max(2, config.parallelism);
  return {
    quick,
    // One run of a matrix program takes well under a second on either host when it works.
    hangLimitS: envNumber('BENCH_WASI_HANG_S', quick ? 5 : 10),
    // Each attempt's child is killed when its resident memory passes this (0: no limit).
    rssLimitMb: envNumber('BENCH_WASI_RSS_MB', 4096),
    spawnJoin: {
      batch: SPAWN_JOIN_BATCH,
      totals: quick ? [1000, 24] : [1000, 100],
      warmup: 1,
      runs: quick ? 3 : 5,
      peerRuns: quick ? 2 : 3,
      // The peer keeps one worker per thread alive until _start returns; at 1,000 threads that
      // runs into the memory limit, so quick runs skip it.
      peerBig: !quick,
      limitS: quick ? 60 : 300,
    },
    primes: {
      n: envNumber('BENCH_WASI_PRIMES_N', quick ? 500000 : 2000000),
      threads: [1, n],
      warmup: 1,
      runs: quick ? 3 : 5,
      limitS: quick ? 60 : 180,
    },
  };
}

// ---- table 1: which programs run ----------------------------------------------------------------

async function programMatrix(s, log) {
  const dir = fileURLToPath(new URL('wasi/', wasmDir));
  const names = readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort();
  if (!names.length) throw new Error('no wasm/wasi/*.wasm built (node scripts/build-wasm.mjs)');
  const rows = [];
  for (const file of names) {
    const name = file.slice(0, -5);
    const prog = PROGRAMS[name];
    const args = prog?.args ?? [];
    const bytes = readFileSync(path.join(dir, file));
    const exportNames = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    const importsSpawn = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).some((i) => i.module === 'wasi' && i.name === 'thread-spawn');
    const row = {
      name: `${name}${args.length ? ` ${prog?.argsShown ?? args.join(' ')}` : ''}`,
      expected: expectedCell(prog),
      malloc: !importsSpawn ? 'no spawn' : exportNames.includes('malloc') && exportNames.includes('free') ? 'yes' : 'no',
    };
    for (const [key, host] of [['weft', 'weft'], ['peer', 'emnapi']]) {
      log(`wasi: ${name} on ${host}`);
      const att = await withPreopen(prog, (preopens) =>
        attempt({ host, wasm: path.join(dir, file), args, preopens, limitS: s.hangLimitS, rssLimitMb: s.rssLimitMb }),
      );
      row[key] = outcome(att, prog);
      row[`${key}Raw`] = { runs: att.runs, killed: att.killed, crashed: att.crashed, loadError: att.loadError, stdout: att.stdout, stderr: att.stderr, seconds: att.seconds };
    }
    rows.push(row);
  }
  const okCount = (key) => rows.filter((r) => r[key].startsWith('ok')).length;
  const table = markdownTable({
    title: 'wasi-threads programs: which ones run (Node)',
    nameLabel: 'program (args)',
    columns: [
      { key: 'expected', label: 'expected' },
      { key: 'malloc', label: 'exports malloc/free' },
      { key: 'weft', label: WEFT },
      { key: 'peer', label: PEER },
    ],
    rows,
    notes: [
      `One run of every wasm/wasi/*.wasm, unchanged, with the args the tests use, each in its own child process on each host; ` +
        `"ok" means the exit code, stdout and stderr (or the trap) are what the program's header comment says. ` +
        `A run is killed after ${s.hangLimitS} s ("hang") or past ${s.rssLimitMb} MiB of memory. ` +
        `Runs ok: weft ${okCount('weft')}/${rows.length}, peer ${okCount('peer')}/${rows.length}.`,
      `The peer is set up as its README's Node example (reuseWorker: false, waitThreadStart: 1000, _start on the calling thread), ` +
        `with @tybys/wasm-util's WASI (returnOnExit) on every thread; the bench gives it the memory under the module's own import name ` +
        `and, for WASI.start, an exports object with that memory added (the modules import it without exporting it). ` +
        `Its thread-spawn calls the module's exported malloc(8) and free(): a standard wasi-threads module has neither ` +
        `("exports malloc/free: no"), so it fails there. *-malloc.wasm are the same programs plus malloc/free exported from ` +
        `the runtime's bump allocator (wasm/src/wasi/export-malloc.h), built for the peer; weft runs both kinds. ` +
        `spawn-join runs 16 threads here (table 2 times 1,000).`,
      ...(PEER_EXEC_ARGV.length
        ? [
            `Node ${process.versions.node} has V8's Liftoff bug with memory.atomic.wait32 (a local reads back 0 after the wait, so a join ` +
              `can wait on address 0 for ever); weft turns Liftoff off itself (--no-liftoff, its nodeLiftoffWorkaround option), and the ` +
              `bench starts the peer's child processes with --no-liftoff too, in every table. Without it the peer's joins hang in many runs ` +
              `here (_start runs on the Node main thread).`,
          ]
        : []),
    ],
  });
  return { table, rows };
}

// ---- table 2: spawn and join ----------------------------------------------------------------

const SPAWN_LINE = /spawned and joined (\d+) threads in batches of (\d+): counter (\d+), (\d+) us/g;

async function spawnJoinRow(host, total, sj, s, log) {
  const wasm = fileURLToPath(new URL(`wasi/${host === 'weft' ? 'spawn-join' : 'spawn-join-malloc'}.wasm`, wasmDir));
  const name = `${host === 'weft' ? WEFT : PEER_SHORT}, ${total.toLocaleString('en-US')} threads`;
  if (!exists(pathToFileURL(wasm))) return { name, total, na: `${path.basename(wasm)} not built` };
  const runs = host === 'weft' ? sj.runs : sj.peerRuns;
  log(`wasi: spawn-join ${total} on ${host}`);
  const att = await attempt({ host, wasm, args: [String(total), String(sj.batch)], warmup: sj.warmup, runs, limitS: sj.limitS, rssLimitMb: s.rssLimitMb });
  const raw = { seconds: att.seconds, peakRssMb: att.peakRssMb, maxThreads: att.maxThreads, baseThreads: att.baseThreads };
  if (att.killed || att.crashed || att.loadError) {
    return { name, total, raw, na: att.killed ?? att.crashed ?? att.loadError.message };
  }
  const bad = att.runs.find((r) => r.error || r.exitCode !== 0);
  if (bad) return { name, total, raw, na: clip(bad.error ? `${bad.error.name}: ${bad.error.message}` : `exit ${bad.exitCode}: ${lastLine(att.stderr)}`, 100) };
  const lines = [...att.stdout.matchAll(SPAWN_LINE)].filter((m) => Number(m[1]) === total && Number(m[3]) === total);
  if (lines.length !== sj.warmup + runs) return { name, total, raw, na: `expected ${sj.warmup + runs} result lines, got ${lines.length}` };
  const inProgram = lines.slice(sj.warmup).map((m) => Number(m[4]) / 1000);
  const whole = att.runs.map((r) => r.ms);
  return {
    name,
    total,
    host,
    inProgramMs: median(inProgram),
    wholeMs: median(whole),
    perThreadUs: (median(inProgram) * 1000) / total,
    peakRssMb: att.peakRssMb,
    runs: { inProgram, whole },
    raw,
  };
}

async function spawnJoinTable(s, log) {
  const sj = s.spawnJoin;
  const rows = [];
  for (const total of sj.totals) {
    rows.push(await spawnJoinRow('weft', total, sj, s, log));
    if (peerSkipped(total, sj)) {
      rows.push({ name: `${PEER_SHORT}, ${total.toLocaleString('en-US')} threads`, total, na: 'skipped in quick mode' });
    } else {
      rows.push(await spawnJoinRow('emnapi', total, sj, s, log));
    }
  }
  for (const r of rows) {
    const w = rows.find((x) => x.host === 'weft' && x.total === r.total && !x.na);
    if (!r.na && w) r.vsWeft = r.inProgramMs / w.inProgramMs;
  }
  const table = markdownTable({
    title: `Spawn and join threads in batches of ${sj.batch} (Node)`,
    nameLabel: 'host, threads',
    columns: [
      { key: 'inProgramMs', label: 'median ms (in program)', digits: 1 },
      { key: 'perThreadUs', label: 'µs per thread', digits: 0 },
      { key: 'wholeMs', label: 'median ms (whole run)', digits: 1 },
      { key: 'peakRssMb', label: 'peak RSS MiB', digits: 0 },
      { key: 'vsWeft', label: '× weft (same threads)', format: (v) => (typeof v === 'number' ? `${v.toFixed(1)}×` : '') },
    ],
    rows,
    notes: [
      `wasm/wasi/spawn-join.wasm (weft) and spawn-join-malloc.wasm (the peer: the same program plus exported malloc/free, which its ` +
        `thread-spawn needs) with args "TOTAL ${sj.batch}": ${sj.batch} threads are spawned, each does one atomic add, all ${sj.batch} are joined ` +
        `(memory.atomic.wait32), repeated until TOTAL threads have run; the count is checked. "In program" is the time the program ` +
        `measures itself with clock_time_get(monotonic) from just before the first spawn to just after the last join, so program ` +
        `start (compile, memory, instantiation, workers) and exit are excluded (the peer's WASI clock has 1 ms resolution). ` +
        `"Whole run" is the host call around it (weft: runWasi(bytes); peer: compile, instantiate, preloadWorkers, WASI.start), start included. ` +
        `Medians of ${sj.runs} runs (weft) and ${sj.peerRuns} runs (peer) after ${sj.warmup} warm-up run, in one child process per row; ` +
        `peak RSS is that child's (all runs). A row is killed past ${s.rssLimitMb} MiB (BENCH_WASI_RSS_MB) or ${sj.limitS} s.`,
      `The peer starts a new worker_threads Worker for every thread and waits for it to start (waitThreadStart, as its README sets for ` +
        `Node); a finished thread's worker is only ended when the spawning thread's event loop handles its 'cleanup-thread' message, ` +
        `which _start (blocked in the program) never lets happen, so every thread so far keeps a live worker until the program ends.`,
    ],
  });
  return { table, rows };
}

function peerSkipped(total, sj) {
  return !sj.peerBig && total === Math.max(...sj.totals);
}

// ---- table 3: threaded C workload ------------------------------------------------------------

const PRIMES_LINE = /primes below (\d+): (\d+)/g;

async function primesRow(host, t, args, pr, s, log) {
  const wasm = fileURLToPath(new URL(`wasi/${host === 'weft' ? 'c-primes' : 'c-primes-malloc'}.wasm`, wasmDir));
  log(`wasi: c-primes ${args.join(' ')} on ${host}`);
  const att = await attempt({ host, wasm, args, warmup: pr.warmup, runs: pr.runs, limitS: pr.limitS, rssLimitMb: s.rssLimitMb });
  if (att.killed || att.crashed || att.loadError) return { na: att.killed ?? att.crashed ?? att.loadError.message };
  const bad = att.runs.find((r) => r.error || r.exitCode !== 0);
  if (bad) return { na: clip(bad.error ? `${bad.error.name}: ${bad.error.message}` : `exit ${bad.exitCode}: ${lastLine(att.stderr)}`, 100) };
  const counts = [...att.stdout.matchAll(PRIMES_LINE)].map((m) => `${m[1]}:${m[2]}`);
  if (counts.length !== pr.warmup + pr.runs) return { na: `expected ${pr.warmup + pr.runs} result lines, got ${counts.length}` };
  const times = att.runs.map((r) => r.ms);
  return { ms: median(times), min: Math.min(...times), runs: times, counts: [...new Set(counts)] };
}

async function primesTable(s, log) {
  const pr = s.primes;
  const rows = [];
  for (const host of ['weft', 'emnapi']) {
    for (const t of pr.threads) {
      const row = { name: `${host === 'weft' ? WEFT : PEER_SHORT}, ${t} thread${t === 1 ? '' : 's'}`, host, threads: t };
      const work = await primesRow(host, t, [String(pr.n), String(t)], pr, s, log);
      if (work.na) {
        row.na = work.na;
      } else {
        Object.assign(row, { ms: work.ms, min: work.min, runs: work.runs, counts: work.counts });
        const start = await primesRow(host, t, ['2', String(t)], pr, s, log);
        if (!start.na) Object.assign(row, { startMs: start.ms, startRuns: start.runs });
        else row.startNa = start.na;
      }
      rows.push(row);
    }
  }
  for (const r of rows) {
    if (r.na) continue;
    const one = rows.find((x) => x.host === r.host && x.threads === 1 && !x.na);
    if (one) r.speedup = one.ms / r.ms;
    const w = rows.find((x) => x.host === 'weft' && x.threads === r.threads && !x.na);
    if (w) r.vsWeft = r.ms / w.ms;
  }
  const measured = rows.filter((r) => !r.na);
  const distinct = new Set(measured.flatMap((r) => r.counts));
  const expected = PRIME_COUNTS[pr.n];
  const countNote =
    distinct.size === 0 ? 'Result: none measured.' :
    distinct.size === 1 && (expected === undefined || [...distinct][0] === `${pr.n}:${expected}`)
      ? `Result: every run printed "primes below ${pr.n}: ${[...distinct][0].split(':')[1]}"${expected === undefined ? '' : ' (the known count)'}.`
      : `**Results differ or are wrong**: ${[...distinct].join(', ')}${expected === undefined ? '' : ` (expected ${pr.n}:${expected})`}.`;
  const startNa = rows.filter((r) => r.startNa).map((r) => `${r.name}: ${r.startNa}`);
  const table = markdownTable({
    title: `Threaded C workload: c-primes ${pr.n.toLocaleString('en-US')} on 1 and ${pr.threads.at(-1)} threads (Node)`,
    nameLabel: 'host, threads',
    columns: [
      { key: 'ms', label: 'median ms', digits: 1 },
      { key: 'min', label: 'min ms', digits: 1 },
      { key: 'startMs', label: 'start + exit ms (N = 2)', digits: 1 },
      { key: 'speedup', label: 'speedup vs 1 thread', format: (v) => (typeof v === 'number' ? `${v.toFixed(2)}×` : '') },
      { key: 'vsWeft', label: '× weft (same threads)', format: (v) => (typeof v === 'number' ? `${v.toFixed(2)}×` : '') },
    ],
    rows,
    notes: [
      `wasm/wasi/c-primes.wasm (weft) and c-primes-malloc.wasm (the peer: the same program plus exported malloc/free) with args ` +
        `"${pr.n} T": T spawned threads count the primes below ${pr.n} by trial division, taking blocks of 16384 numbers ` +
        `with an atomic fetch-and-add, while main only joins. Each time is the whole host call (runWasi(bytes); for the peer: compile, ` +
        `instantiate, WASI.start), program start and exit included; median of ${pr.runs} runs after ${pr.warmup} warm-up run, one child ` +
        `process per row. "start + exit" is the same with N = 2 (T threads spawned, next to no work): roughly the part of each time ` +
        `that is not counting. ${pr.threads.at(-1)} = max(2, os.availableParallelism()).`,
      `${countNote}${startNa.length ? ` Start rows not measured: ${startNa.join('; ')}.` : ''}`,
    ],
  });
  return { table, rows };
}

// ---- family entry point ----------------------------------------------------------------------

export const title = 'wasi-threads programs: weft runWasi vs @emnapi/wasi-threads (Node)';

export async function run(config, log) {
  const s = settings(config);
  if (!exists(new URL('node.js', distDir))) log('wasi: dist/node.js not built; the weft cells will say so');
  const tables = [];
  const data = { settings: s };
  for (const [key, fn] of [['programs', programMatrix], ['spawnJoin', spawnJoinTable], ['primes', primesTable]]) {
    try {
      const out = await fn(s, log);
      tables.push(out.table);
      data[key] = out.rows;
    } catch (err) {
      tables.push(`### wasi: ${key}\n\nn/a (${reason(err)})\n`);
      data[key] = { error: String(err?.stack ?? err) };
    }
  }
  return { tables, data };
}
