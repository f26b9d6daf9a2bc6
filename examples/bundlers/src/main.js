// One small app, built by every bundler in the tests (Vite, webpack, Rollup, esbuild, Parcel)
// and also run as plain ES modules: a raw pool, a wasi-threads C program and a Rust
// wasm-bindgen-rayon crate (@jsquash/oxipng, copied into ./pkg as a crate's wasm-pack output
// would sit there), each checked against what it must give.
import { createPool, runWasi } from 'weft';
import { createBindgenPool } from 'weft/wasm-bindgen';
import * as glue from '../pkg/squoosh_oxipng.js';
import initSingle, { optimise as optimiseSingle } from '../pkg-single/squoosh_oxipng.js';
import { makeTestImages } from './png-images.js';

const output = document.getElementById('output');
const show = (line) => (output.textContent += `${line}\n`);
const checks = {};

// 1. A raw shared-memory pool: every thread adds 1,000 to one counter with atomics.
const pool = await createPool({ module: new URL('../wasm/hello.wasm', import.meta.url), threads: 2 });
await pool.broadcast('count', 1000);
const total = await pool.run('counter_value');
await pool.close();
checks.pool = total === 2000;
show(`pool: 2 threads counted ${total}`);

// 2. A wasi-threads C program, its _start and threads on workers.
let stdout = '';
const { exitCode } = await runWasi(new URL('../wasm/c-primes.wasm', import.meta.url), {
  args: ['100000', '2'],
  stdout: (bytes) => (stdout += new TextDecoder().decode(bytes)),
});
checks.wasi = exitCode === 0 && /primes below 100000: 9592\b/.test(stdout);
show(`wasi: ${stdout.trim()} (exit ${exitCode})`);

// 3. wasm-bindgen + wasm-bindgen-rayon: the glue goes in as a namespace, with a worker file of the
// app's that imports it (bundlers follow this literal), so it works bundled or not.
const bindgen = await createBindgenPool({
  glue,
  wasm: new URL('../pkg/squoosh_oxipng_bg.wasm', import.meta.url),
  rayonThreads: 2,
  createWorker: () => new Worker(new URL('./bindgen-thread.js', import.meta.url), { type: 'module' }),
});
const { png } = (await makeTestImages())[1];
const optimised = await bindgen.run('optimise', png, 2, false, false);
await bindgen.close();
await initSingle(new URL('../pkg-single/squoosh_oxipng_bg.wasm', import.meta.url));
const expected = optimiseSingle(png, 2, false, false);
checks.wasmBindgen = optimised.length === expected.length && optimised.every((byte, i) => byte === expected[i]);
show(`wasm-bindgen: oxipng on 2 rayon threads, ${png.length} -> ${optimised.length} bytes, ${checks.wasmBindgen ? 'same bytes as' : 'DIFFERENT from'} the single-threaded build`);

const failed = Object.keys(checks).filter((name) => !checks[name]);
window.__weftTest = { ok: failed.length === 0, results: { checks, text: output.textContent }, error: failed.length ? `failed: ${failed.join(', ')}` : undefined };
