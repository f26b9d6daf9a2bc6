// quick-start.mjs: an ES module (keep the .mjs, or set "type": "module" in your package.json).
import { createPool } from 'weft';
import { helloWasm } from 'weft/examples'; // a tiny threaded module that ships with weft

// One worker per core, each with its own instance of the module over one shared memory.
const pool = await createPool({ module: helloWasm });

// Every thread adds 1,000 to one counter with atomics: the total is exact.
await pool.broadcast('count', 1000);
console.log('total:', await pool.run('counter_value'), 'from', pool.threads, 'threads');

// Split a range across the threads: sum_range(start, end) gets one chunk per call.
const sums = await pool.parallelFor('sum_range', 0, 10_000);
console.log('sum of 0..9999:', sums.reduce((a, b) => a + b, 0));

await pool.close(); // ends every worker (an idle pool would not keep Node alive either)
