import { createBindgenPool } from 'weft/wasm-bindgen';
import { makeTestImages } from '../../test/shared/png-images.mjs';

const glue = new URL('/node_modules/@jsquash/oxipng/codec/pkg-parallel/squoosh_oxipng.js', location.href);
const output = document.getElementById('output');
const threadChoice = document.getElementById('threads');
for (const n of new Set([1, 2, navigator.hardwareConcurrency])) threadChoice.add(new Option(String(n), String(n)));

// rayon's global pool is built once per pool of weft threads: keep one pool per thread count.
const pools = new Map();
function poolFor(rayonThreads) {
  if (!pools.has(rayonThreads)) pools.set(rayonThreads, createBindgenPool({ glue, rayonThreads }));
  return pools.get(rayonThreads);
}

async function optimise(name, png, rayonThreads) {
  const pool = await poolFor(rayonThreads);
  const started = performance.now();
  const optimised = await pool.run('optimise', png, 2, false, false); // (data, level, interlace, optimize_alpha)
  const ms = performance.now() - started;
  output.textContent += `${name}, ${rayonThreads} thread(s): ${png.length} -> ${optimised.length} bytes in ${ms.toFixed(0)} ms\n`;
  return optimised;
}

async function optimiseFile(file) {
  try {
    const optimised = await optimise(file.name, new Uint8Array(await file.arrayBuffer()), Number(threadChoice.value));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([optimised], { type: 'image/png' }));
    link.download = file.name.replace(/(\.png)?$/i, '.optimised.png');
    link.textContent = `download ${link.download}`;
    output.append(link, '\n');
  } catch (error) {
    output.textContent += `${file.name}: ${error.message}\n`;
  }
}

document.getElementById('run').addEventListener('click', () => {
  const file = document.getElementById('file').files[0];
  if (file !== undefined) void optimiseFile(file);
});
// Drop a PNG anywhere on the page.
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => {
  event.preventDefault();
  for (const file of event.dataTransfer?.files ?? []) void optimiseFile(file);
});

const { name, png } = (await makeTestImages())[2];
const one = await optimise(name, png, 1);
const two = await optimise(name, png, 2);
const same = one.length === two.length && one.every((byte, i) => byte === two[i]);
output.textContent += same ? 'Same bytes from 1 and 2 threads.\n' : 'The outputs differ!\n';
window.__weftTest = { ok: same && one.length < png.length, results: { text: output.textContent } };
