// Native (gcc -O3, one thread) build of the same Mandelbrot kernel as wasm/mandelbrot.wasm, the
// baseline of the scaling benchmark. Built by bench/native/build.sh.
//
//   ./mandelbrot-native <width> <height> <max_iter>
//   -> {"ms": <median of 5 full renders>, "checksum": <same number as mandelbrot_checksum()>}

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../wasm/src/mandelbrot-kernel.h"

#define RUNS 5

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <width> <height> <max_iter>\n", argv[0]);
    return 2;
  }
  int width = atoi(argv[1]), height = atoi(argv[2]), max_iter = atoi(argv[3]);
  if (width < 1 || height < 1 || width > MB_MAX_SIDE || height > MB_MAX_SIDE || max_iter < 1) {
    fprintf(stderr, "width and height must be 1..%d, max_iter at least 1\n", MB_MAX_SIDE);
    return 2;
  }
  double times[RUNS];
  for (int i = 0; i < RUNS; i++) {
    double start = now_ms();
    mb_setup(width, height, max_iter);  // timed like the wasm side's full render: setup + all rows
    mb_rows(0, height);
    times[i] = now_ms() - start;
  }
  qsort(times, RUNS, sizeof times[0], cmp_double);
  printf("{ \"ms\": %.3f, \"checksum\": %u }\n", times[RUNS / 2], mb_checksum());
  return 0;
}
