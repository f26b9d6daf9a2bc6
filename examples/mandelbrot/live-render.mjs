// Renders the Mandelbrot set of wasm/src/mandelbrot.c on `threads` threads of a pool with
// dynamic scheduling: each thread claims bands of rows with an atomic add until none are left
// and tags each row it drew. While they work, `onFrame` is called once per animation frame, so
// a page can draw the finished rows straight out of shared memory.

const UNSET = 255;

/** Renders once; resolves to { ms, checksum, rowsByThread }. */
export async function renderLive(pool, { width, height, maxIterations, threads, band = 4 }, onFrame = () => {}) {
  await pool.run('mandelbrot_setup', width, height, maxIterations);
  await pool.run('mandelbrot_claim_reset');
  const started = performance.now();
  const claims = Array.from({ length: threads }, (_, thread) => pool.runOn(thread, 'mandelbrot_claim_rows', thread, band));
  let done = false;
  const all = Promise.all(claims).finally(() => (done = true));
  // Why requestAnimationFrame: the page stays responsive and shows progress; the threads never wait for it.
  const frames = (async () => {
    while (!done) {
      onFrame();
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  })();
  const rowsByThread = await all;
  const ms = performance.now() - started;
  await frames;
  onFrame();
  return { ms, checksum: await pool.run('mandelbrot_checksum'), rowsByThread };
}

/** Views of the image (one byte per pixel) and of the row owners, in the pool's shared memory. */
export async function sharedViews(pool, width, height) {
  const [image, owners, rowsDone] = await Promise.all([pool.run('mandelbrot_image'), pool.run('mandelbrot_owners'), pool.run('mandelbrot_rows_done')]);
  // Why re-read memory.buffer each time: a memory.grow anywhere replaces it.
  return {
    pixels: () => new Uint8Array(pool.memory.buffer, image, width * height),
    owners: () => new Uint8Array(pool.memory.buffer, owners, height),
    rowsDone: () => Atomics.load(new Int32Array(pool.memory.buffer, rowsDone, 1), 0),
    UNSET,
  };
}
