// Renders the Mandelbrot set of wasm/src/mandelbrot.c on a pool: rows are split across the
// pool's threads with parallelFor, every thread writing into the one shared image.

/** Renders once; resolves to the image checksum and the time the parallel part took. */
export async function renderMandelbrot(pool, { width, height, maxIterations }) {
  await pool.run('mandelbrot_setup', width, height, maxIterations);
  const started = performance.now();
  await pool.parallelFor('mandelbrot_rows', 0, height);
  const ms = performance.now() - started;
  return { ms, checksum: await pool.run('mandelbrot_checksum') };
}

/** The image as iteration counts (one byte per pixel), copied out of shared memory. */
export async function mandelbrotPixels(pool, width, height) {
  const pointer = await pool.run('mandelbrot_image');
  return new Uint8Array(pool.memory.buffer, pointer, width * height).slice();
}
