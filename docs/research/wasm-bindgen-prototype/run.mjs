// Usage: node --import ./register.mjs run.mjs [threads...]   (default: 1 2)
import { readFileSync } from 'node:fs';
import { testImages } from './png.mjs';
const codec = new URL('../node_modules/@jsquash/oxipng/codec/', import.meta.url);
const LEVELS = (process.env.LEVELS || '2,3').split(',').map(Number);
const threadCounts = process.argv.slice(2).map(Number).filter(Boolean);
const images = testImages();

const st = await import(new URL('pkg/squoosh_oxipng.js', codec));
st.initSync(readFileSync(new URL('pkg/squoosh_oxipng_bg.wasm', codec)));
const REPS = Number(process.env.REPS || 3);
// median of REPS timed runs (after one warm-up run by the caller)
const time = (f) => { let r; const ts = []; for (let i = 0; i < REPS; i++) { const t = performance.now(); r = f(); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); return [r, ts[ts.length >> 1]]; };

const reference = new Map();
for (const [name, png] of images) for (const level of LEVELS) {
  st.optimise(png, level, false, false); // warm-up (Liftoff → TurboFan)
  const [out, ms] = time(() => st.optimise(png, level, false, false));
  reference.set(`${name}@${level}`, out);
  console.log(`single   ${name} L${level}: ${png.length} -> ${out.length} B, ${ms.toFixed(0)} ms`);
}

const mtBytes = readFileSync(new URL('pkg-parallel/squoosh_oxipng_bg.wasm', codec));
const mtModule = new WebAssembly.Module(mtBytes);
for (const [i, threads] of (threadCounts.length ? threadCounts : [1, 2]).entries()) {
  // A fresh glue instance per pool: rayon's global pool can be built only once per instance.
  const glueUrl = new URL(`pkg-parallel/squoosh_oxipng.js?pool=${i}`, codec).href;
  const glue = await import(glueUrl);
  const wasm = await glue.default(mtModule);
  let t0 = performance.now();
  await glue.initThreadPool(threads);
  console.log(`pool of ${threads} started in ${(performance.now() - t0).toFixed(0)} ms`);
  for (const [name, png] of images) for (const level of LEVELS) {
    glue.optimise(png, level, false, false);
    const [out, ms] = time(() => glue.optimise(png, level, false, false));
    const same = Buffer.compare(Buffer.from(out), Buffer.from(reference.get(`${name}@${level}`))) === 0;
    console.log(`parallel ${threads}t ${name} L${level}: ${out.length} B, ${ms.toFixed(0)} ms, identical=${same}`);
    if (!same) process.exitCode = 1;
  }
  const helper = await import(new URL('./rayon-node.mjs', import.meta.url).href + '?glue=' + encodeURIComponent(glueUrl));
  console.log(`threadMemory`, JSON.stringify(helper.threadMemory));
  await helper.terminateWorkers(wasm);
}
console.log('done; the process should exit now');
