// node examples/mandelbrot/node.mjs [size] — renders on 1..N threads; the checksum never changes.
import { availableParallelism } from 'node:os';
import { createPool } from 'weft';
import { renderMandelbrot } from './render.mjs';

const size = Number(process.argv[2] ?? 1024);
const maxThreads = Math.max(2, availableParallelism());
const checksums = new Set();
let single;
for (let threads = 1; threads <= maxThreads; threads++) {
  const pool = await createPool({ module: new URL('../../wasm/mandelbrot.wasm', import.meta.url), threads });
  await renderMandelbrot(pool, { width: size, height: size, maxIterations: 256 }); // warm-up
  const { ms, checksum } = await renderMandelbrot(pool, { width: size, height: size, maxIterations: 256 });
  await pool.close();
  single ??= ms;
  checksums.add(checksum);
  console.log(`${threads} thread(s): ${ms.toFixed(1)} ms, speedup ${(single / ms).toFixed(2)}x, checksum ${checksum}`);
}
if (checksums.size !== 1) {
  console.error('checksums differ between thread counts');
  process.exit(1);
}
