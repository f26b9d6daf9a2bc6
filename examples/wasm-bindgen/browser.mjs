import { createBindgenPool } from 'weft/wasm-bindgen';
import { Busy } from '../page.mjs';
import { makeTestImages } from '../../test/shared/png-images.mjs';

const glue = new URL('/node_modules/@jsquash/oxipng/codec/pkg-parallel/squoosh_oxipng.js', location.href);
const output = document.getElementById('output');
const result = document.getElementById('result');
const fileInput = document.getElementById('file');
const threadChoice = document.getElementById('threads');
const busy = new Busy(document.getElementById('status'));
for (const n of new Set([1, 2, navigator.hardwareConcurrency])) threadChoice.add(new Option(String(n), String(n)));

/** An error whose message is a sentence for the page. */
class UserError extends Error {}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// rayon's global pool is built once per pool of weft threads: keep one pool per thread count.
const pools = new Map();
function poolFor(rayonThreads) {
  if (!pools.has(rayonThreads)) pools.set(rayonThreads, createBindgenPool({ glue, rayonThreads }));
  return pools.get(rayonThreads);
}

/** Drops the pool for `rayonThreads` (after a failed call its threads may hold half-done state). */
function discardPool(rayonThreads) {
  const pool = pools.get(rayonThreads);
  pools.delete(rayonThreads);
  pool?.then((p) => p.close(), () => {});
}

/** Shows `text` with the seconds elapsed, ten times a second, until the returned stop() is called. */
function ticking(update, text) {
  const started = performance.now();
  update(text);
  const timer = setInterval(() => update(`${text} ${((performance.now() - started) / 1000).toFixed(1)} s`), 100);
  return () => clearInterval(timer);
}

async function optimise(name, png, rayonThreads, update) {
  const stop = ticking(update, pools.has(rayonThreads)
    ? `optimising ${name} on ${rayonThreads} rayon thread(s)…`
    : `starting ${rayonThreads} rayon thread(s) and optimising ${name}…`);
  try {
    const pool = await poolFor(rayonThreads);
    const started = performance.now();
    const optimised = await pool.run('optimise', png, 2, false, false); // (data, level, interlace, optimize_alpha)
    const ms = performance.now() - started;
    output.textContent += `${name}, ${rayonThreads} thread(s): ${png.length} -> ${optimised.length} bytes in ${ms.toFixed(0)} ms\n`;
    return optimised;
  } finally {
    stop();
  }
}

/** Why `bytes` cannot be a PNG, in a sentence, or undefined when it starts like one. */
function notPng(name, bytes) {
  if (bytes.length === 0) return `${name} is empty: pick a PNG file.`;
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return undefined;
  return `${name} is not a PNG file (it does not start with the PNG signature), so oxipng cannot optimise it: pick a .png file.`;
}

async function optimiseFile(file) {
  result.textContent = '';
  const rayonThreads = Number(threadChoice.value);
  await busy.run(`reading ${file.name}…`, async (update) => {
    const png = new Uint8Array(await file.arrayBuffer());
    const problem = notPng(file.name, png);
    if (problem !== undefined) throw new UserError(problem);
    let optimised;
    try {
      optimised = await optimise(file.name, png, rayonThreads, update);
    } catch (error) {
      discardPool(rayonThreads);
      // Why not the crate's message: for a file it cannot decode it is "`unwrap_throw` failed".
      console.warn(`oxipng failed on ${file.name}:`, error);
      throw new UserError(`oxipng could not read ${file.name}: the file is damaged, or a kind of PNG it cannot decode.`);
    }
    const url = URL.createObjectURL(new Blob([optimised], { type: 'image/png' }));
    const image = new Image();
    image.src = url;
    image.alt = `${file.name}, optimised`;
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name.replace(/(\.png)?$/i, '.optimised.png');
    link.textContent = `download ${link.download}`;
    result.append(image, link);
    const saved = 100 * (1 - optimised.length / png.length);
    busy.say(`${file.name}: ${png.length} → ${optimised.length} bytes (${saved >= 0 ? `${saved.toFixed(1)} % smaller` : 'no smaller'}) on ${rayonThreads} thread(s).`);
  }, (error) => (error instanceof UserError ? error.message : `Something went wrong: ${error.name}: ${error.message}`));
}

document.getElementById('run').addEventListener('click', () => {
  const file = fileInput.files[0];
  if (file === undefined) busy.fail('Pick a PNG file first (or drop one on the page).');
  else void optimiseFile(file);
});
// Drop a PNG anywhere on the page.
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', async (event) => {
  event.preventDefault();
  document.body.classList.remove('dragging');
  if (busy.active) return;
  for (const file of event.dataTransfer?.files ?? []) await optimiseFile(file);
});

// On load: the generated picture on 1 and on 2 threads (starting each pool is part of the wait).
let same = false;
let one;
const { name, png } = (await makeTestImages())[2];
await busy.run('starting oxipng…', async (update) => {
  one = await optimise(name, png, 1, update);
  const two = await optimise(name, png, 2, update);
  same = one.length === two.length && one.every((byte, i) => byte === two[i]);
  output.textContent += same ? 'Same bytes from 1 and 2 threads.\n' : 'The outputs differ!\n';
  busy.say(same ? 'Ready: pick or drop a PNG.' : 'The outputs of 1 and 2 threads differ!');
}, (error) => `oxipng could not start: ${error.name}: ${error.message}`);
window.__weftTest = {
  ok: same && one.length < png.length,
  results: { text: output.textContent },
  ...(same ? {} : { error: document.getElementById('status').textContent }),
};
