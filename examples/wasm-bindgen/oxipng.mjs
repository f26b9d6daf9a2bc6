// node examples/wasm-bindgen/oxipng.mjs [file.png] — @jsquash/oxipng's Rust wasm-bindgen-rayon
// build on weft: rayon's pool of N threads is built by weft, in Node, with no worker file.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createBindgenPool } from 'weft/wasm-bindgen';
import { makeTestImages } from '../../test/shared/png-images.mjs';

const glue = new URL('../../node_modules/@jsquash/oxipng/codec/pkg-parallel/squoosh_oxipng.js', import.meta.url);
const png = process.argv[2] ? await readFile(process.argv[2]) : (await makeTestImages())[2].png;

for (const rayonThreads of [1, availableParallelism()]) {
  const pool = await createBindgenPool({ glue, rayonThreads });
  await pool.run('optimise', png, 1, false, false); // warm-up: the first call also compiles the hot code
  const started = performance.now();
  const optimised = await pool.run('optimise', png, 2, false, false); // optimise(data, level, interlace, optimize_alpha)
  const ms = performance.now() - started;
  console.log(`${rayonThreads} rayon thread(s): ${png.length} -> ${optimised.length} bytes in ${ms.toFixed(0)} ms`);
  await pool.close();
}
