// Probe (not part of `npm run bench`): where a Chromium round trip's time and CPU go. Runs blocks
// of round trips of each variant in turn (rounds interleaved), optionally with one CPU burner per
// core beside the browser, and prints per round: µs per trip, each browser thread's CPU µs per
// trip (from /proc/<pid>/task/<tid>/schedstat), and for the raw rows how often the page's
// waitAsync had to wait (async) rather than find the answer already there.
//
//   BUSY=1 node bench/probes/chromium-threads.mjs [rounds=7] [trips=10000]
//   VARIANTS=raw,raw+now,weft-parked,weft-parked@/other-build/ BUSY=1 node bench/probes/chromium-threads.mjs
//
// Variants (chromium-threads/page.mjs): raw (the bench's raw Atomics ping-pong); raw+now,
// raw+wasm, raw+atomics (its worker also reads performance.now() after answering, calls an empty
// wasm export, or does ten atomic operations: chromium-threads/atomics-worker-extra.mjs);
// raw-async (the page registers its waitAsync before waking the worker); weft-parked and
// weft-default (pool.run('nothing') with spinMicros: 0 or the default), `@/path/` for a build of
// weft served from that folder under the repo root. CONSOLE=1 echoes the console of the page and
// its workers (for a build with counters added by hand).
//
// What it showed (2026-12-07, busy): raw 7.0 µs with 1.5% of the waits async; raw+now 9.4 µs with
// 13% async; weft-parked 10.6 µs before the worker stopped reading the clock between a task and
// parking, 8.4 µs after.
import { readdir, readFile } from 'node:fs/promises';
import { startServer, launchChromium } from '../browser.mjs';
import { burnerPids, withBurners } from '../lib/burners.mjs';
import { median } from '../lib/stats.mjs';

const rounds = Number(process.argv[2] ?? 7);
const trips = Number(process.argv[3] ?? 10_000);
const names = (process.env.VARIANTS ?? 'raw,weft-parked,weft-default').split(',');

/** PIDs descended from `root`, the burners left out. */
async function descendants(root) {
  const parents = new Map();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (stat) parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const found = [];
  const walk = (pid) => {
    for (const [child, ppid] of parents) {
      if (ppid === pid && !burnerPids().has(child)) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

/** CPU ns so far of every thread of the browser, by pid/tid, with the thread's name. */
async function threadTimes() {
  const times = new Map();
  for (const pid of await descendants(process.pid)) {
    for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
      const comm = (await readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8').catch(() => '?')).trim();
      const ns = Number((await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').catch(() => '0')).split(' ')[0]);
      times.set(`${pid}/${tid}`, { comm, ns });
    }
  }
  return times;
}

async function main() {
  const server = await startServer();
  const browser = await launchChromium(console.log);
  try {
    if (process.env.CONSOLE) browser.page.on('console', (message) => console.log(`console: ${message.text()}`));
    await browser.page.goto(`${server.origin}/bench/probes/chromium-threads/index.html`);
    await browser.page.waitForFunction(() => window.__ready === true);
    for (const name of names) await browser.page.evaluate(([n]) => window.__run(n, 2000), [name]);
    const perTrip = new Map(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        const before = await threadTimes();
        const { us, waits } = await browser.page.evaluate(([n, t]) => window.__run(n, t), [name, trips]);
        const after = await threadTimes();
        perTrip.get(name).push(us);
        const threads = [];
        for (const [key, { comm, ns }] of after) {
          const cpu = (ns - (before.get(key)?.ns ?? 0)) / 1000 / trips;
          if (cpu > 0.3) threads.push(`${comm} ${cpu.toFixed(2)}`);
        }
        const waited = waits ? `; waits async ${((100 * waits.async) / trips).toFixed(1)}%` : '';
        console.log(`${name} round ${round + 1}: ${us.toFixed(2)} µs/trip; CPU µs/trip ${threads.join(', ')}${waited}`);
      }
    }
    console.log('');
    for (const [name, list] of perTrip) console.log(`${name}: median ${median(list).toFixed(2)} µs/trip (rounds: ${list.map((u) => u.toFixed(1)).join(' ')})`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.env.BUSY === '1') await withBurners(900_000, main);
else await main();
