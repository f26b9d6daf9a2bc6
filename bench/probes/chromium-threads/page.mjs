// Round trips of one variant at a time, run on the driver's request, so that the driver can read
// every browser thread's CPU around each block (see ../chromium-threads.mjs for the variants).
import { memoryImportLimits, sharedMemoryFor } from '../../lib/wasm.mjs';

const wasm = (name) => new URL(`/wasm/${name}`, location.href);
const started = new Map();

async function rawPeer(name) {
  const extra = name.split('+').slice(1);
  const i32 = new Int32Array(new SharedArrayBuffer(128));
  const worker = extra.length > 0
    ? new Worker(new URL('./atomics-worker-extra.mjs', import.meta.url), { type: 'module' })
    : new Worker(new URL('../../browser/atomics-worker.mjs', import.meta.url), { type: 'module' });
  let module;
  let memory;
  if (extra.includes('wasm')) {
    const bytes = new Uint8Array(await (await fetch(wasm('numbers.wasm'))).arrayBuffer());
    module = await WebAssembly.compile(bytes);
    memory = sharedMemoryFor(memoryImportLimits(bytes));
  }
  await new Promise((resolve) => {
    worker.onmessage = resolve;
    worker.postMessage({ sab: i32.buffer, extra, module, memory });
  });
  return i32;
}

async function start(name) {
  if (name.startsWith('raw')) {
    const i32 = await rawPeer(name.replace('raw-async', 'raw'));
    const waits = { async: 0 };
    let seq = 0;
    const registerFirst = name === 'raw-async';
    const call = async () => {
      const next = ++seq;
      const early = registerFirst ? Atomics.waitAsync(i32, 1, next - 1) : undefined;
      Atomics.store(i32, 0, next);
      Atomics.notify(i32, 0, 1);
      if (early?.async) await early.value;
      while (Atomics.load(i32, 1) !== next) {
        const wait = Atomics.waitAsync(i32, 1, next - 1);
        if (wait.async) {
          waits.async++;
          await wait.value;
        }
      }
    };
    return { call, waits };
  }
  const [kind, dist = '/dist/'] = name.split('@');
  const { createPool } = await import(`${dist}browser.js`);
  const pool = await createPool({ module: wasm('numbers.wasm'), threads: 1, ...(kind === 'weft-parked' ? { spinMicros: 0 } : {}) });
  await pool.run('nothing');
  return { call: () => pool.run('nothing') };
}

window.__run = async (name, trips) => {
  if (!started.has(name)) started.set(name, await start(name));
  const { call, waits } = started.get(name);
  if (waits) waits.async = 0;
  const t0 = performance.now();
  for (let i = 0; i < trips; i++) await call();
  return { us: ((performance.now() - t0) * 1000) / trips, waits: waits ? { ...waits } : undefined };
};
window.__ready = true;
