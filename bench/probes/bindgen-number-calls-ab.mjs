// Probe (not part of `npm run bench`): the first rows of the bindgen-calls family's fast-call
// table (raw pool.run, a bindgen number call through shared memory and by message, comlink), in
// the family's own interleaving, for one build of weft. Run it against two builds, alternating,
// to compare a change to the bindgen call path:
//
//   npm run build && cp -r dist /tmp/weft-dist-b      (and a build of the other commit in /tmp/weft-dist-a)
//   BENCH_DIST_DIR=/tmp/weft-dist-a node bench/probes/bindgen-number-calls-ab.mjs 5
//   BENCH_DIST_DIR=/tmp/weft-dist-b node bench/probes/bindgen-number-calls-ab.mjs 5
//
// The argument is the number of rounds (default 5). Why the whole family's rows run: what the
// thread's spin policy does depends on the calls around the measured ones (the 1 MiB rows).
import { fastCallLatency } from '../bindgen-calls.mjs';

const rounds = Number(process.argv[2] ?? 5);
const rows = await fastCallLatency({ rounds, warmup: 100, samples: 1000 }, () => {});
const raw = rows[0].us;
for (const row of rows.slice(0, 4)) console.log(`${row.us.toFixed(1).padStart(7)} µs ${(row.us / raw).toFixed(2)}×  ${row.name}`);
