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

// Dynamic scheduling, for the demo page: every thread runs mandelbrot_claim_rows(tag, band) at
// once; each claims the next `band` rows with an atomic add until none are left, renders them,
// and records its tag per row (so a page can tint each row by the thread that drew it, and draw
// the rows that are finished: 255 until then) and the rows done (so it can show progress while
// the threads work). Returns the rows it rendered.
static int mb_next_row, mb_rows_done;
static unsigned char mb_owner[MB_MAX_SIDE];

EXPORT("mandelbrot_claim_reset")
void mandelbrot_claim_reset(void) {
  for (int row = 0; row < MB_MAX_SIDE; row++) mb_owner[row] = 255;
  __atomic_store_n(&mb_next_row, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&mb_rows_done, 0, __ATOMIC_SEQ_CST);
}

EXPORT("mandelbrot_claim_rows")
int mandelbrot_claim_rows(int tag, int band) {
  if (band < 1) band = 1;
  int rendered = 0;
  for (;;) {
    const int start = __atomic_fetch_add(&mb_next_row, band, __ATOMIC_SEQ_CST);
    if (start >= mb_height) return rendered;
    const int end = start + band > mb_height ? mb_height : start + band;
    mb_rows(start, end);
    for (int row = start; row < end; row++) mb_owner[row] = (unsigned char)tag;
    __atomic_fetch_add(&mb_rows_done, end - start, __ATOMIC_SEQ_CST);
    rendered += end - start;
  }
}

EXPORT("mandelbrot_owners")
unsigned char *mandelbrot_owners(void) { return mb_owner; }

EXPORT("mandelbrot_rows_done")
int *mandelbrot_rows_done(void) { return &mb_rows_done; }
