// Mandelbrot kernel shared by wasm/src/mandelbrot.c (the wasm build) and
// bench/native/mandelbrot-native.c (the native gcc build of the benchmark), so both render the
// same image and report the same checksum.
//
// Freestanding: no libc, no headers. Everything is static; include this file from one .c file.
//
// Determinism: every pixel depends only on its own coordinates, so the image does not depend on how
// rows are split across threads. Both builds must keep plain IEEE double arithmetic: no fused
// multiply-add contraction (the native build passes -ffp-contract=off; wasm has no FMA), no
// -ffast-math.

#ifndef MANDELBROT_KERNEL_H
#define MANDELBROT_KERNEL_H

#define MB_MAX_SIDE 2048

// One byte per pixel: the iteration count modulo 256. 4 MiB of .bss in the wasm build.
static unsigned char mb_image[MB_MAX_SIDE * MB_MAX_SIDE];
static int mb_width, mb_height, mb_max_iter;

// The view: x in [-2.0, 0.6], y in [-1.3, 1.3].
#define MB_X_MIN (-2.0)
#define MB_X_MAX 0.6
#define MB_Y_MIN (-1.3)
#define MB_Y_MAX 1.3

// Sizes are clamped to 1..MB_MAX_SIDE (the static buffer's size), max_iter to at least 1.
static void mb_setup(int width, int height, int max_iter) {
  mb_width = width < 1 ? 1 : width > MB_MAX_SIDE ? MB_MAX_SIDE : width;
  mb_height = height < 1 ? 1 : height > MB_MAX_SIDE ? MB_MAX_SIDE : height;
  mb_max_iter = max_iter < 1 ? 1 : max_iter;
}

// Renders rows [row_start, row_end), clamped to the image. Threads rendering disjoint row ranges
// write disjoint bytes, so no synchronization is needed beyond what hands out the ranges.
static void mb_rows(int row_start, int row_end) {
  const int width = mb_width, height = mb_height, max_iter = mb_max_iter;
  if (row_start < 0) row_start = 0;
  if (row_end > height) row_end = height;
  const double dx = (MB_X_MAX - MB_X_MIN) / width;
  const double dy = (MB_Y_MAX - MB_Y_MIN) / height;
  for (int py = row_start; py < row_end; py++) {
    const double y0 = MB_Y_MIN + py * dy;
    unsigned char *row = mb_image + (long)py * width;
    for (int px = 0; px < width; px++) {
      const double x0 = MB_X_MIN + px * dx;
      double x = 0.0, y = 0.0, x2 = 0.0, y2 = 0.0;
      int iter = 0;
      while (iter < max_iter && x2 + y2 <= 4.0) {
        y = 2.0 * x * y + y0;
        x = x2 - y2 + x0;
        x2 = x * x;
        y2 = y * y;
        iter++;
      }
      row[px] = (unsigned char)(iter & 0xff);
    }
  }
}

// FNV-1a over the width*height bytes of the image, folded to 31 bits: wasm returns an i32, which JS
// reads as signed, and the native program prints the same non-negative number.
static unsigned mb_checksum(void) {
  unsigned h = 2166136261u;
  const long n = (long)mb_width * mb_height;
  for (long i = 0; i < n; i++) {
    h ^= mb_image[i];
    h *= 16777619u;
  }
  return h & 0x7fffffffu;
}

#endif
