import { createPool } from 'weft';
import { Busy } from '../page.mjs';
import { renderLive, sharedViews } from './live-render.mjs';
import { drawChart } from './chart.mjs';

const params = new URLSearchParams(location.search);
const cores = navigator.hardwareConcurrency || 4;
// The sweep on load goes up to `?threads=` (default: one thread per core); the pool has twice as
// many threads as cores, so a render can oversubscribe the machine on purpose.
const sweepTo = Number(params.get('threads') ?? Math.max(2, cores));
const poolThreads = Math.max(sweepTo, Math.min(2 * cores, 64));
const element = (id) => document.getElementById(id);
const busy = new Busy(element('status'));
const THREAD_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#469990', '#808000', '#000075', '#800000'];
const color = (thread) => THREAD_COLORS[thread % THREAD_COLORS.length];
const tints = THREAD_COLORS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

const beyondCores = document.createElement('optgroup');
beyondCores.label = 'more than cores';
for (let n = 1; n <= poolThreads; n++) {
  const option = new Option(String(n), String(n), n === sweepTo, n === sweepTo);
  if (n > cores) beyondCores.append(option);
  else element('threads').add(option);
}
if (beyondCores.children.length > 0) element('threads').append(beyondCores);
const sweepLabel = () => (element('sweep').textContent = `Sweep 1…${element('threads').value}`);
element('threads').addEventListener('change', sweepLabel);
sweepLabel();
if (params.has('size')) element('size').add(new Option(params.get('size'), params.get('size'), true, true));
element('legend').innerHTML = Array.from({ length: poolThreads }, (_, t) => `<span style="background:${color(t)}">thread ${t}</span>`).join('');
element('cores').textContent = `This machine reports ${cores} hardware threads. The pool has ${poolThreads} threads: `
  + `counts above ${cores} oversubscribe the cores (the threads take turns), so the time stops improving there.`;

const results = new Map(); // threads -> { ms, checksum, rowsByThread } of the latest run at the current size

/** Renders at `size` on `threads` threads, drawing rows as they finish; `label` leads the status line. */
async function render(threads, size, update, label = '') {
  const view = { width: size, height: size, maxIterations: 512, threads };
  const canvas = element('image');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d');
  const picture = context.createImageData(size, size);
  const shared = await sharedViews(pool, size, size);
  const drawn = new Uint8Array(size);
  const text = `${label}rendering ${size}×${size} on ${threads} thread(s)${threads > cores ? `, more than the ${cores} cores` : ''}…`;
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
    update(text, shared.rowsDone() / size);
  };
  update(text, 0);
  return renderLive(pool, view, onFrame);
}

async function renderAndRecord(threads, update, label) {
  const result = await render(threads, Number(element('size').value), update, label);
  results.set(threads, result);
  showResults();
  return result;
}

function showResults() {
  const rows = element('rows');
  rows.textContent = '';
  const single = results.get(1)?.ms;
  for (const [threads, { ms, checksum, rowsByThread }] of [...results].sort((a, b) => a[0] - b[0])) {
    const row = rows.insertRow();
    if (threads > cores) row.className = 'oversubscribed';
    const speedup = single === undefined ? '–' : `${(single / ms).toFixed(2)}×`;
    for (const cell of [threads, ms.toFixed(1), speedup, rowsByThread.join(' / '), checksum]) row.insertCell().textContent = cell;
  }
  drawChart(element('chart'), [...results].map(([threads, { ms }]) => ({ threads, ms })), { cores });
}

async function sweep(to, update) {
  results.clear();
  for (let threads = 1; threads <= to; threads++) await renderAndRecord(threads, update, `sweep 1…${to}: `);
}

function checksumLine() {
  const checksums = new Set([...results.values()].map((r) => r.checksum));
  return checksums.size <= 1 ? `Same checksum on ${[...results.keys()].sort((a, b) => a - b).join(', ')} thread(s).` : 'Checksums differ!';
}

const describe = (error) => `The render failed: ${error.name}: ${error.message}`;
element('render').addEventListener('click', () => busy.run('starting…', async (update) => {
  const threads = Number(element('threads').value);
  const { ms } = await renderAndRecord(threads, update);
  busy.say(`${threads} thread(s): ${ms.toFixed(0)} ms. ${checksumLine()}`);
}, describe));
element('sweep').addEventListener('click', () => busy.run('starting…', async (update) => {
  await sweep(Number(element('threads').value), update);
  busy.say(`${checksumLine()} Pick a thread count and render again.`);
}, describe));
element('size').addEventListener('change', () => results.clear());

// On load: start the pool, a warm-up (the first calls run in the baseline tier, so a first
// timing would be too slow), then the sweep.
let pool;
await busy.run(`starting ${poolThreads} workers…`, async (update) => {
  pool = await createPool({ module: new URL('../../wasm/mandelbrot.wasm', import.meta.url), threads: poolThreads });
  await render(Math.min(sweepTo, poolThreads), 256, update, 'warming up (not timed): ');
  await sweep(sweepTo, update);
}, (error) => `The demo could not start: ${error.name}: ${error.message}`);
const checksums = new Set([...results.values()].map((r) => r.checksum));
const everyThreadDrew = [...results].every(([threads, r]) => r.rowsByThread.length === threads && r.rowsByThread.reduce((a, b) => a + b, 0) === Number(element('size').value));
if (results.size === sweepTo) busy.say(checksums.size === 1 ? `Same checksum on 1…${sweepTo} threads. Pick a thread count (also more than ${cores}) and render again.` : 'Checksums differ!');
window.__weftTest = {
  ok: checksums.size === 1 && everyThreadDrew && results.size === sweepTo,
  results: [...results].map(([threads, { ms, checksum, rowsByThread }]) => ({ threads, ms, checksum, rowsByThread })),
  ...(results.size === sweepTo ? {} : { error: element('status').textContent }),
};
