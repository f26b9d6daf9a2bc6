// Family "busy": dispatch and throughput on a quiet machine and with every core busy, from one
// run (burners: lib/burners.mjs). Every row reports the process CPU per task (all threads of
// this process; the burners are other processes) beside its latency.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import * as roundtrip from './roundtrip.mjs';
import * as throughput from './throughput.mjs';
import { withBurners } from './lib/burners.mjs';
import { loadWeft, requireWasm } from './lib/paths.mjs';
import { median, withTimeout } from './lib/stats.mjs';
import { fmt, markdownTable, reason } from './lib/table.mjs';

export const title = 'Quiet and busy: dispatch round trip and 100k tasks with one CPU burner per core (Node)';

const FLOOR = roundtrip.FLOOR;
const WEFT_DEFAULT = "weft pool.run('nothing') (default spin policy)";
const WEFT_PARKED = "weft pool.run('nothing'), spinMicros: 0 (park at once)";
const PISCINA = 'piscina run()';

/** Percent of one core that a started pool with no work uses, measured after it was idle for `afterMs`. */
async function idleCpu(poolOptions, afterMs, overMs) {
  const { createPool } = await loadWeft();
  const pool = await createPool({ module: requireWasm('numbers.wasm'), threads: os.availableParallelism(), ...poolOptions });
  try {
    await pool.broadcast('nothing');
    await sleep(afterMs);
    const before = process.cpuUsage();
    const t0 = performance.now();
    await sleep(overMs);
    const used = process.cpuUsage(before);
    return { idleCpuPercent: ((used.user + used.system) / ((performance.now() - t0) * 1000)) * 100 };
  } finally {
    await pool.close();
  }
}

async function measureHalf(c, log, label) {
  const rt = c.roundtrip;
  const rows = [
    [FLOOR, () => roundtrip.rawAtomics(rt, { wait: 'async', spin: 0 })],
    [WEFT_DEFAULT, () => roundtrip.weftRow(rt)],
    [WEFT_PARKED, () => roundtrip.weftRow(rt, { spinMicros: 0 })],
    [PISCINA, () => roundtrip.piscinaRow(rt)],
    ['tinypool run()', () => roundtrip.tinypoolRow(rt)],
    ['workerpool exec()', () => roundtrip.workerpoolRow(rt)],
    ['comlink (node adapter)', () => roundtrip.comlinkRow(rt)],
  ];
  // Why interleaved: on this VM whether idle cores sleep between two round trips changes the
  // floor several-fold from one minute to the next; each round measures every row once.
  const runs = Object.fromEntries(rows.map(([name]) => [name, []]));
  for (let round = 0; round < rt.rounds; round++) {
    for (const [name, fn] of rows) {
      if (runs[name].na) continue;
      try {
        runs[name].push(await withTimeout(fn({ ...rt, rounds: 1 }), rt.deadlineMs + 40_000, name));
      } catch (err) {
        runs[name].na = reason(err);
      }
    }
    log(`busy (${label}): round trips, round ${round + 1}/${rt.rounds}`);
  }
  const trips = Object.fromEntries(rows.map(([name]) => {
    const list = runs[name];
    if (list.na) return [name, { na: list.na }];
    const mid = (key) => median(list.map((r) => r[key]));
    return [name, { median: mid('median'), mean: mid('mean'), cpuPerCall: mid('cpuPerCall') }];
  }));
  const tp = c.throughput;
  const bulk = {};
  for (const [name, fn] of [['weft pool.run', () => throughput.weftRow(tp)], [PISCINA, () => throughput.piscinaRow(tp)]]) {
    log(`busy (${label}): ${tp.tasks} tasks, ${name}`);
    try {
      const r = await withTimeout(fn(), tp.deadlineMs + 40_000, name);
      bulk[name] = { perTask: (r.median * 1000) / tp.tasks, cpuPerTask: r.cpuPerCall / tp.tasks, cpuShare: r.cpuShare };
    } catch (err) {
      bulk[name] = { na: reason(err) };
    }
  }
  log(`busy (${label}): idle CPU`);
  const idle = {};
  for (const [name, options] of [['weft default', {}], ['weft spinMicros: 0', { spinMicros: 0 }]]) {
    try {
      idle[name] = await idleCpu(options, c.idleAfterMs, c.idleOverMs);
    } catch (err) {
      idle[name] = { na: reason(err) };
    }
  }
  return { trips, bulk, idle };
}

const ratio = (value, base) => (Number.isFinite(value) && Number.isFinite(base) && base > 0 ? `${fmt(value / base)}×` : '–');

export async function run(config, log) {
  const c = config.busy;
  const cores = os.availableParallelism();
  const quiet = await measureHalf(c, log, 'quiet');
  const busy = await withBurners(c.burnerMaxMs, (burners) => measureHalf(c, log, `busy, ${burners} burners`));
  const names = Object.keys(quiet.trips);
  const tripRows = names.map((name) => {
    const q = quiet.trips[name];
    const b = busy.trips[name];
    if (q.na && b.na) return { name, na: q.na };
    return {
      name,
      quiet: q.median, quietMean: q.mean, quietRatio: ratio(q.median, quiet.trips[FLOOR].median), quietCpu: q.cpuPerCall,
      busy: b.median, busyMean: b.mean, busyRatio: ratio(b.median, busy.trips[FLOOR].median), busyCpu: b.cpuPerCall,
      quietOverWeft: name === WEFT_DEFAULT ? '–' : ratio(q.median, quiet.trips[WEFT_DEFAULT].median),
      busyOverWeft: name === WEFT_DEFAULT ? '–' : ratio(b.median, busy.trips[WEFT_DEFAULT].median),
      vsParked: ratio(b.median, busy.trips[WEFT_PARKED].median),
    };
  });
  const tripTable = markdownTable({
    title: 'Round trip of an empty task, quiet and with every core busy (Node, 1 worker)',
    nameLabel: 'transport',
    columns: [
      { key: 'quiet', label: 'quiet median µs' },
      { key: 'quietMean', label: 'mean µs' },
      { key: 'quietRatio', label: '× floor', format: (v) => v ?? '–' },
      { key: 'quietCpu', label: 'CPU µs/trip' },
      { key: 'quietOverWeft', label: '÷ weft', format: (v) => v ?? '–' },
      { key: 'busy', label: 'busy median µs' },
      { key: 'busyMean', label: 'mean µs' },
      { key: 'busyRatio', label: '× floor', format: (v) => v ?? '–' },
      { key: 'busyCpu', label: 'CPU µs/trip' },
      { key: 'busyOverWeft', label: '÷ weft', format: (v) => v ?? '–' },
      { key: 'vsParked', label: 'busy × weft parked', format: (v) => v ?? '–' },
    ],
    rows: tripRows,
    notes: [
      `floor = "${FLOOR}". Busy: ${cores} processes (one per core) spinning beside the benchmark. CPU = this process's CPU (every thread) per round trip.`,
      `${c.roundtrip.rounds} rounds, the rows interleaved round by round (each round starts the row's pool or worker anew); ${c.roundtrip.samples} round trips per round after ${c.roundtrip.warmup} warm-up ones. median = median of the round medians, mean = median of the round means, CPU = median of the rounds'. ÷ weft = the row's median over weft default's.`,
    ],
  });
  const bulkRows = Object.keys(quiet.bulk).map((name) => ({
    name,
    quiet: quiet.bulk[name].perTask, quietCpu: quiet.bulk[name].cpuPerTask,
    busy: busy.bulk[name].perTask, busyCpu: busy.bulk[name].cpuPerTask,
    na: quiet.bulk[name].na ?? busy.bulk[name].na,
  }));
  const bulkTable = markdownTable({
    title: `${c.throughput.tasks} tiny tasks submitted at once, quiet and busy (Node, ${c.throughput.workers} workers)`,
    nameLabel: 'pool',
    columns: [
      { key: 'quiet', label: 'quiet µs/task', digits: 3 },
      { key: 'quietCpu', label: 'CPU µs/task', digits: 3 },
      { key: 'busy', label: 'busy µs/task', digits: 3 },
      { key: 'busyCpu', label: 'CPU µs/task', digits: 3 },
    ],
    rows: bulkRows,
    notes: [`piscina ÷ weft per task: quiet ${ratio(quiet.bulk[PISCINA]?.perTask, quiet.bulk['weft pool.run']?.perTask)}, busy ${ratio(busy.bulk[PISCINA]?.perTask, busy.bulk['weft pool.run']?.perTask)}.`],
  });
  const idleTable = markdownTable({
    title: `CPU of an idle pool (${cores} threads), ${c.idleAfterMs} ms after its last task, over ${c.idleOverMs} ms`,
    nameLabel: 'pool',
    columns: [
      { key: 'quiet', label: 'quiet, % of a core' },
      { key: 'busy', label: 'busy, % of a core' },
    ],
    rows: Object.keys(quiet.idle).map((name) => ({ name, quiet: quiet.idle[name].idleCpuPercent, busy: busy.idle[name].idleCpuPercent, na: quiet.idle[name].na })),
  });
  return { tables: [tripTable, bulkTable, idleTable], data: { quiet, busy, cores } };
}
