// The Mandelbrot kernel of wasm/src/mandelbrot-kernel.h in plain JavaScript, so tests compare the
// wasm result with a value computed apart from it (not only runs with each other). JavaScript
// numbers are IEEE doubles evaluated in the same order as the C, which has no FMA contraction.

const X_MIN = -2.0;
const X_MAX = 0.6;
const Y_MIN = -1.3;
const Y_MAX = 1.3;

/** The checksum `mandelbrot_checksum()` returns after `mandelbrot_setup(width, height, maxIterations)` and every row. */
export function mandelbrotChecksum(width, height, maxIterations) {
  const dx = (X_MAX - X_MIN) / width;
  const dy = (Y_MAX - Y_MIN) / height;
  let hash = 2166136261;
  for (let py = 0; py < height; py++) {
    const y0 = Y_MIN + py * dy;
    for (let px = 0; px < width; px++) {
      const x0 = X_MIN + px * dx;
      let x = 0, y = 0, x2 = 0, y2 = 0, iter = 0;
      while (iter < maxIterations && x2 + y2 <= 4.0) {
        y = 2.0 * x * y + y0;
        x = x2 - y2 + x0;
        x2 = x * x;
        y2 = y * y;
        iter++;
      }
      hash = Math.imul(hash ^ (iter & 0xff), 16777619);
    }
  }
  return hash & 0x7fffffff;
}
