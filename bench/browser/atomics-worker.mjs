// Raw Atomics peer (module worker). Shared Int32Array: [0] request counter (written by the
// page), [1] response counter (written here). A negative request value stops the loop.
self.onmessage = ({ data: { sab } }) => {
  const i32 = new Int32Array(sab);
  self.postMessage('ready');
  let seen = 0;
  for (;;) {
    let v = Atomics.load(i32, 0);
    while (v === seen) {
      Atomics.wait(i32, 0, seen);
      v = Atomics.load(i32, 0);
    }
    if (v < 0) break;
    seen = v;
    Atomics.store(i32, 1, v);
    Atomics.notify(i32, 1);
  }
};
