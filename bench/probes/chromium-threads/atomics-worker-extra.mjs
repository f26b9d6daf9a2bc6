// The raw Atomics peer of ../../browser/atomics-worker.mjs plus some of what a weft worker does
// per task, chosen by `extra`: 'now' reads performance.now() once, 'wasm' calls an empty wasm
// export (numbers.wasm's `nothing`), 'atomics' does the ten atomic operations of weft's loop on
// other words of the buffer.
self.onmessage = async ({ data: { sab, extra, module, memory } }) => {
  const i32 = new Int32Array(sab);
  const nothing = module ? (await WebAssembly.instantiate(module, { 'odd module': { 'some memory': memory } })).exports.nothing : () => {};
  self.postMessage('ready');
  let seen = 0;
  for (;;) {
    let v = Atomics.load(i32, 0);
    while (v === seen) {
      if (extra.includes('atomics')) Atomics.add(i32, 20, 1);
      Atomics.wait(i32, 0, seen);
      if (extra.includes('atomics')) Atomics.sub(i32, 20, 1);
      v = Atomics.load(i32, 0);
    }
    if (v < 0) break;
    seen = v;
    if (extra.includes('atomics')) {
      Atomics.load(i32, 2); Atomics.load(i32, 3); Atomics.load(i32, 4);
      Atomics.load(i32, 5); Atomics.compareExchange(i32, 6, v - 1, v);
      Atomics.store(i32, 7, 1); Atomics.store(i32, 7, 0);
      Atomics.add(i32, 8, 1);
    }
    if (extra.includes('wasm')) nothing();
    Atomics.store(i32, 1, v);
    Atomics.notify(i32, 1);
    if (extra.includes('now')) performance.now();
  }
};
