// Mandelbrot on a pool, built by scripts/build-wasm.mjs into wasm/mandelbrot.wasm.
// The kernel lives in mandelbrot-kernel.h so that bench/native builds the very same code.
//
// Use: mandelbrot_setup(w, h, iter) once, then mandelbrot_rows(start, end) from any number of
// threads over disjoint row ranges (pool.parallelFor), then mandelbrot_checksum() or read the
// w*h bytes at mandelbrot_image() out of the shared memory.

#include "mandelbrot-kernel.h"

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("mandelbrot_setup")
void mandelbrot_setup(int width, int height, int max_iter) { mb_setup(width, height, max_iter); }

EXPORT("mandelbrot_rows")
void mandelbrot_rows(int row_start, int row_end) { mb_rows(row_start, row_end); }

EXPORT("mandelbrot_image")
unsigned char *mandelbrot_image(void) { return mb_image; }

EXPORT("mandelbrot_checksum")
unsigned mandelbrot_checksum(void) { return mb_checksum(); }
