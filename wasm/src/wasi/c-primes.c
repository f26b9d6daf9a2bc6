// c-primes.c: a threaded workload with a checkable result, and the benchmark workload (1 vs N
// threads). Freestanding C with the runtime in rt/ (no libc). Built by scripts/build-wasm.mjs into
// wasm/wasi/c-primes.wasm.
//
// Usage: c-primes [N [THREADS]]   (decimal; N default 2000000, at most 2^31-1; THREADS default 4,
//                                  0..256, where 0 means: count on the main thread, spawn nothing)
// Counts the primes below N by trial division (by 2, then by odd numbers up to the square root):
// deliberately CPU-bound, no memory traffic. The range is cut into blocks of 16384 numbers that
// THREADS spawned threads take one at a time with an atomic fetch-and-add on a shared "next
// block" index (work stealing: blocks near N cost more, and a thread that finishes early takes
// more of them). Each thread counts its blocks locally and adds its count atomically to the
// total; main joins them and prints the total. With THREADS >= 1 main only waits.
//
// Expected: stdout "primes below <N>: <count>\n", nothing on stderr, exit code 0 (through
// proc_exit(0) in the runtime's _start). Known counts: N=2000000 -> 148933 (the default),
// N=1000000 -> 78498, N=10000000 -> 664579, N=100 -> 25, N=2 -> 0.
// Failures: bad arguments -> stderr "usage: c-primes [N [THREADS]] (THREADS 0..256)\n", exit code
// 2; a thread that could not be spawned -> stderr "spawn failed <code>\n" (or "out of memory for a
// thread's stack\n"), exit code 3.
//
// Timing: the work is pure computation with no shared-memory traffic, so "1 vs N threads"
// measures the host's threads. N = 2000000 took about 0.45 s on 1 thread and 0.25 s on 2 (Node 20,
// a 2-core x86-64 machine, including instantiation); raise N for longer runs (cost ~ N^1.5).
//
// The host must: as for every wasi-threads program (memory "env" "memory", shared, min from the
// binary, max 32 MiB, room for 256 threads; thread-spawn; a fresh instance per thread), and
// fd_write, args_sizes_get / args_get, proc_exit (and sched_yield, which the runtime imports).
// THREADS spawned threads run at once besides main, each with a 64 KiB stack from the runtime.
#include "rt/rt.h"

#define BLOCK 16384u
#define MAX_THREADS 256

static unsigned limit;          // N
static unsigned next_block;     // atomic: the next block to take
static unsigned total;          // atomic: primes found so far

static int is_prime(unsigned n) {
  if (n < 2) return 0;
  if (n < 4) return 1;
  if (n % 2 == 0) return 0;
  for (unsigned d = 3; d <= n / d; d += 2)
    if (n % d == 0) return 0;
  return 1;
}

static int count_blocks(void *unused) {
  (void)unused;
  unsigned found = 0;
  for (;;) {
    unsigned b = __atomic_fetch_add(&next_block, 1, __ATOMIC_SEQ_CST);
    if (b >= (limit + BLOCK - 1) / BLOCK) break;
    unsigned lo = b * BLOCK, hi = limit - lo < BLOCK ? limit : lo + BLOCK;
    for (unsigned n = lo; n < hi; n++) found += (unsigned)is_prime(n);
  }
  __atomic_fetch_add(&total, found, __ATOMIC_SEQ_CST);
  return 0;
}

int main(int argc, char **argv) {
  long long n = 2000000, threads = 4;
  if (argc > 1) n = rt_parse_decimal(argv[1], 0x7fffffff);
  if (argc > 2) threads = rt_parse_decimal(argv[2], MAX_THREADS);
  if (n < 0 || threads < 0 || argc > 3) {
    eprint("usage: c-primes [N [THREADS]] (THREADS 0..256)\n");
    return 2;
  }
  limit = (unsigned)n;
  if (threads == 0) {
    count_blocks(0);
  } else {
    rt_thread *t[MAX_THREADS];
    for (int i = 0; i < threads; i++) {
      t[i] = thread_create(count_blocks, 0);
      if (!t[i]) {
        eprint("out of memory for a thread's stack\n");
        return 3;
      }
      if (t[i]->tid <= 0) {
        char line[48];
        fmt_str(fmt_int(fmt_str(line, "spawn failed "), t[i]->tid), "\n");
        eprint(line);
        return 3;
      }
    }
    for (int i = 0; i < threads; i++) thread_join(t[i]);
  }
  char line[64], *p = fmt_str(line, "primes below ");
  p = fmt_int(p, n);
  p = fmt_str(p, ": ");
  p = fmt_int(p, __atomic_load_n(&total, __ATOMIC_SEQ_CST));
  fmt_str(p, "\n");
  print(line);
  return 0;
}
