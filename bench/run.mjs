#!/usr/bin/env node
// weft benchmarks: runs every family in one process and prints markdown tables of medians and
// ratios to stdout (progress goes to stderr). `--json FILE` also writes the raw numbers.
// See bench/README.md for what each table means.
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs, makeConfig, usage } from './lib/config.mjs';
import { reason } from './lib/table.mjs';

const FAMILY_MODULES = {
  roundtrip: './roundtrip.mjs',
  throughput: './throughput.mjs',
  busy: './busy.mjs',
  startup: './startup.mjs',
  scaling: './scaling.mjs',
  browser: './browser.mjs',
  wasi: './wasi.mjs',
  oxipng: './oxipng.mjs',
  rewrite: './rewrite.mjs',
  'cli-start': './cli-start.mjs',
  'bindgen-calls': './bindgen-calls.mjs',
};

let opts;
try {
  opts = parseArgs();
} catch (err) {
  console.error(err.message);
  process.exit(2);
}
if (opts.help) {
  console.log(usage());
  process.exit(0);
}

const config = makeConfig(opts);
const t0 = performance.now();
const log = (msg) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  v8: process.versions.v8,
  platform: `${process.platform} ${process.arch}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  availableParallelism: config.parallelism,
  loadavg: os.loadavg(),
  quick: config.quick,
  families: opts.families,
};

console.log('# weft benchmarks\n');
console.log(
  `${meta.date} · Node ${meta.node} (V8 ${meta.v8}) · ${meta.platform} · ${meta.cpu} · ` +
    `availableParallelism ${meta.availableParallelism} · load ${meta.loadavg.map((l) => l.toFixed(2)).join(' ')}` +
    (config.quick ? ' · **QUICK run (small counts, rough numbers)**' : ''),
);
console.log('');

// Why: the library and the wasm modules are written concurrently with this bench; a bug that
// surfaces as an uncaught error (a worker 'error' event nobody listens to, a stray rejection)
// must not take the whole run down. The row waiting on it fails by its own timeout instead.
let uncaught = 0;
const onUncaught = (kind) => (err) => {
  uncaught++;
  process.stderr.write(`[bench] ${kind} (continuing; the row in progress will time out): ${err?.stack ?? err}\n`);
};
process.on('uncaughtException', onUncaught('uncaught exception'));
process.on('unhandledRejection', onUncaught('unhandled rejection'));

const results = {};
for (const family of opts.families) {
  log(`${family}: start`);
  const f0 = performance.now();
  try {
    const mod = await import(FAMILY_MODULES[family]);
    const out = await mod.run(config, log);
    for (const t of out.tables) console.log(t);
    results[family] = out.data;
  } catch (err) {
    // A family that fails as a whole still lets the others run and print.
    console.log(`### ${family}\n\nn/a (${reason(err)})\n`);
    results[family] = { error: String(err?.stack ?? err) };
  }
  log(`${family}: done in ${((performance.now() - f0) / 1000).toFixed(1)} s`);
}

if (opts.json) {
  meta.loadavgAfter = os.loadavg();
  writeFileSync(opts.json, JSON.stringify({ meta, config, results }, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
  log(`raw numbers written to ${opts.json}`);
}
if (uncaught) console.log(`_${uncaught} uncaught error(s) during the run; see stderr._\n`);
log(`all done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Every family closes its pools, workers, browsers and servers, so the process should now exit
// by itself. If a handle leaked anyway, say so and exit rather than hang.
setTimeout(() => {
  const handles = typeof process.getActiveResourcesInfo === 'function' ? process.getActiveResourcesInfo() : [];
  process.stderr.write(`[bench] warning: still alive 5 s after finishing; open resources: ${handles.join(', ') || 'unknown'}; exiting\n`);
  process.exit(process.exitCode ?? 0);
}, 5000).unref();
