#!/usr/bin/env node
// `npm run soak`: builds, then runs the pool soak (test/fixtures/pool-soak.mjs) at full size:
// a million tasks by default, each counted in shared memory, with traps and closes interleaved,
// and checks that none was lost or doubled and that every promise settled. The default suite
// runs the same soak bounded (test/node/pool-soak.test.mjs).
//
//   npm run soak                               1,000,000 tasks, 20,000 per pool, 2 threads
//   npm run soak -- --tasks 200000 --threads 4
//   node scripts/soak.mjs --tasks 50000 --round-size 5000 --verbose   (after npm run build)
//
// Prints one line per 10 rounds (every round with --verbose), then what it checked and the time.
// Exit status 0 when every check held, 1 when one broke (the message names the tasks), 2 on
// bad arguments.
import { parseArgs } from 'node:util';
import { createPool } from '../dist/node.js';
import * as errors from '../dist/errors/index.js';
import { runSoak } from '../test/fixtures/pool-soak.mjs';

const USAGE = 'usage: node scripts/soak.mjs [--tasks N] [--round-size N] [--threads N] [--hang-ms N] [--verbose]';

let values;
try {
  ({ values } = parseArgs({
    options: {
      tasks: { type: 'string', default: '1000000' },
      'round-size': { type: 'string', default: '20000' },
      threads: { type: 'string', default: '2' },
      'hang-ms': { type: 'string', default: '60000' },
      verbose: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}

const numbers = {};
for (const name of ['tasks', 'round-size', 'threads', 'hang-ms']) {
  const value = Number(values[name].replaceAll('_', ''));
  // Why a cap: every task has a 4-byte slot in one shared memory (100,000,000 tasks: 400 MB).
  if (!Number.isInteger(value) || value < 1 || (name === 'tasks' && value > 100_000_000)) {
    console.error(`--${name} must be a positive integer${name === 'tasks' ? ' up to 100000000' : ''}, got ${values[name]}\n${USAGE}`);
    process.exit(2);
  }
  numbers[name] = value;
}

let round = 0;
const log = (line) => {
  if (values.verbose || round++ % 10 === 0) console.log(line);
};
console.log(`pool soak: ${numbers.tasks.toLocaleString('en')} tasks, ${numbers['round-size'].toLocaleString('en')} per pool, ${numbers.threads} threads, Node ${process.versions.node}`);
try {
  const totals = await runSoak({
    createPool,
    errors,
    tasks: numbers.tasks,
    roundSize: numbers['round-size'],
    threads: numbers.threads,
    hangMs: numbers['hang-ms'],
    log,
  });
  const ran = totals.resolved + totals.trapped + totals.closedRan;
  console.log(
    [
      `checked ${totals.tasks.toLocaleString('en')} tasks in ${totals.rounds} pools (${totals.closedRounds} closed with tasks in flight):`,
      `  every promise settled: ${totals.resolved} resolved with their own index, ${totals.trapped} trapped (WebAssembly.RuntimeError),`,
      `  ${totals.closedRan + totals.closedUnrun} rejected by close() with PoolClosedError (${totals.closedRan} had run, ${totals.closedUnrun} had not);`,
      `  every resolved or trapped task ran exactly once, every closed one at most once;`,
      `  counter ${totals.counter} = tasks that ran ${ran}.`,
      `time: ${(totals.ms / 1000).toFixed(1)} s (${Math.round(totals.tasks / (totals.ms / 1000)).toLocaleString('en')} tasks/s, pool starts included)`,
    ].join('\n'),
  );
} catch (error) {
  console.error(`FAILED: ${error.message}`);
  process.exitCode = 1;
}
