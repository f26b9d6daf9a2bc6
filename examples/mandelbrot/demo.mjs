import { createPool } from 'weft';
import { renderLive, sharedViews } from './live-render.mjs';
import { drawChart } from './chart.mjs';

const params = new URLSearchParams(location.search);
const maxThreads = Number(params.get('threads') ?? Math.max(2, navigator.hardwareConcurrency || 4));
const element = (id) => document.getElementById(id);
const status = element('status');
const progress = element('progress');
const THREAD_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#469990', '#808000', '#000075', '#800000'];
const color = (thread) => THREAD_COLORS[thread % THREAD_COLORS.length];

for (let n = 1; n <= maxThreads; n++) element('threads').add(new Option(String(n), String(n), n === maxThreads, n === maxThreads));
if (params.has('size')) element('size').add(new Option(params.get('size'), params.get('size'), true, true));
element('legend').innerHTML = Array.from({ length: maxThreads }, (_, t) => `<span style="background:${color(t)}">thread ${t}</span>`).join('');

const pool = await createPool({ module: new URL('../../wasm/mandelbrot.wasm', import.meta.url), threads: maxThreads });
const results = new Map(); // threads -> { ms, checksum, rowsByThread } of the latest run at the current size
let busy = false;

async function render(threads) {
  const size = Number(element('size').value);
  const view = { width: size, height: size, maxIterations: 512, threads };
  const canvas = element('image');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d');
  const picture = context.createImageData(size, size);
  const shared = await sharedViews(pool, size, size);
  const drawn = new Uint8Array(size);
  const tints = THREAD_COLORS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const onFrame = () => {
    const owners = shared.owners();
    const pixels = shared.pixels();
    for (let row = 0; row < size; row++) {
      const owner = owners[row];
      if (owner === shared.UNSET || drawn[row]) continue;
      drawn[row] = 1;
      const [r, g, b] = tints[owner % tints.length];
      for (let x = 0, i = row * size; x < size; x++, i++) {
        const v = pixels[i];
        const shade = v === 0 ? 0 : 0.35 + 0.65 * ((v * 7) % 256) / 255; // v: iterations mod 256
        picture.data.set([r * shade, g * shade, b * shade, 255], i * 4);
      }
    }
    context.putImageData(picture, 0, 0);
    progress.value = shared.rowsDone() / size;
  };
  status.textContent = `rendering ${size}×${size} on ${threads} thread(s)…`;
  const result = await renderLive(pool, view, onFrame);
  results.set(threads, result);
  showResults();
  status.textContent = `${threads} thread(s): ${result.ms.toFixed(0)} ms`;
  return result;
}

function showResults() {
  const rows = element('rows');
  rows.textContent = '';
  const single = results.get(1)?.ms;
  for (const [threads, { ms, checksum, rowsByThread }] of [...results].sort((a, b) => a[0] - b[0])) {
    const row = rows.insertRow();
    const speedup = single === undefined ? '–' : `${(single / ms).toFixed(2)}×`;
    for (const cell of [threads, ms.toFixed(1), speedup, rowsByThread.join(' / '), checksum]) row.insertCell().textContent = cell;
  }
  drawChart(element('chart'), [...results].map(([threads, { ms }]) => ({ threads, ms })));
}

async function exclusively(task) {
  if (busy) return;
  busy = true;
  try {
    await task();
  } catch (error) {
    status.className = 'error';
    status.textContent = `${error.name}: ${error.message}`;
  } finally {
    busy = false;
  }
}

async function sweep() {
  results.clear();
  for (let threads = 1; threads <= maxThreads; threads++) await render(threads);
}

element('render').addEventListener('click', () => exclusively(() => render(Number(element('threads').value))));
element('sweep').addEventListener('click', () => exclusively(sweep));
element('size').addEventListener('change', () => results.clear());

// On load: a warm-up (the first calls run in the baseline tier), then the sweep.
await exclusively(async () => {
  status.textContent = 'warming up…';
  await renderLive(pool, { width: 256, height: 256, maxIterations: 512, threads: maxThreads });
  await sweep();
});
const checksums = new Set([...results.values()].map((r) => r.checksum));
const everyThreadDrew = [...results].every(([threads, r]) => r.rowsByThread.length === threads && r.rowsByThread.reduce((a, b) => a + b, 0) === Number(element('size').value));
status.textContent = checksums.size === 1 ? `Same checksum on 1…${maxThreads} threads. Pick a thread count and render again.` : 'Checksums differ!';
window.__weftTest = {
  ok: checksums.size === 1 && everyThreadDrew && results.size === maxThreads,
  results: [...results].map(([threads, { ms, checksum, rowsByThread }]) => ({ threads, ms, checksum, rowsByThread })),
};
