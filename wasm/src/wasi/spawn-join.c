// spawn-join.c: spawn and join many short threads, in batches that fit a host's thread limit; the
// benchmark workload for thread start-up cost (bench/wasi.mjs). Freestanding C with the runtime in
// rt/ (no libc). Built by scripts/build-wasm.mjs into wasm/wasi/spawn-join.wasm.
//
// Usage: spawn-join [TOTAL [BATCH]]   (decimal; TOTAL default 1000, 1..1000000; BATCH default 8,
//                                      1..64)
// main spawns BATCH threads, joins them all, and repeats until TOTAL threads have run (the last
// batch is smaller when BATCH does not divide TOTAL). Each thread only adds 1 to a shared counter
// (an atomic add) and returns. The BATCH thread slots (rt_thread record, 64 KiB shadow stack, TLS
// block, from rt_alloc) are allocated once and reused by every batch, since the runtime's
// thread_create never frees a stack (1,000 threads would need 64 MiB). main reads the monotonic
// clock (clock_time_get) just before the first spawn and just after the last join, so the time it
// prints excludes the program's start (instantiation, worker start-up) and its exit.
//
// Expected: stdout "spawned and joined <TOTAL> threads in batches of <BATCH>: counter <TOTAL>,
// <us> us\n" (<us> the elapsed microseconds, an unsigned decimal), nothing on stderr, exit code 0
// (through proc_exit(0) in the runtime's _start).
// Failures: bad arguments -> stderr "usage: spawn-join [TOTAL [BATCH]] (TOTAL 1..1000000, BATCH
// 1..64)\n", exit code 2; out of memory for the slots -> stderr "out of memory for the thread
// slots\n", exit code 3; thread-spawn returned <= 0 -> stderr "spawn failed <code> at thread
// <n>\n", exit code 3 (after joining the threads of the batch already started); the counter is
// not TOTAL at the end -> stderr "counter <c>, expected <TOTAL>\n", exit code 4.
//
// The host must: as for every wasi-threads program (memory "env" "memory", shared, min from the
// binary, max 16 MiB; thread-spawn; a fresh instance per thread), and fd_write, clock_time_get
// (monotonic), args_sizes_get / args_get, proc_exit (and sched_yield, which the runtime imports).
// At most BATCH spawned threads are alive at once besides main, but a host that recycles a
// finished thread's worker late (or never) sees up to TOTAL workers.
//
// spawn-join-malloc.c is the same program that also exports malloc and free (export-malloc.h),
// which @emnapi/wasi-threads needs.
#include "rt/rt.h"

#define MAX_BATCH 64

__attribute__((import_module("wasi"), import_name("thread-spawn"))) int wasi_thread_spawn(void *arg);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("clock_time_get")))
int wasi_clock_time_get(int clock_id, unsigned long long precision, unsigned long long *time);

static unsigned counter;  // atomic: threads that ran

static int add_one(void *unused) {
  (void)unused;
  __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
  return 0;
}

static unsigned long long now_ns(void) {
  unsigned long long t = 0;
  wasi_clock_time_get(1 /* monotonic */, 1000, &t);
  return t;
}

int main(int argc, char **argv) {
  long long total = 1000, batch = 8;
  if (argc > 1) total = rt_parse_decimal(argv[1], 1000000);
  if (argc > 2) batch = rt_parse_decimal(argv[2], MAX_BATCH);
  if (total < 1 || batch < 1 || argc > 3) {
    eprint("usage: spawn-join [TOTAL [BATCH]] (TOTAL 1..1000000, BATCH 1..64)\n");
    return 2;
  }

  // The slots, set up as the runtime's thread_create does, but once.
  rt_thread *slot[MAX_BATCH];
  size_t tls_size = __builtin_wasm_tls_size();
  for (int i = 0; i < batch; i++) {
    rt_thread *t = rt_alloc(sizeof *t, 16);
    unsigned char *stack = rt_alloc(RT_STACK_SIZE, 16);
    void *tls = rt_alloc(tls_size ? tls_size : 1, __builtin_wasm_tls_align());
    if (!t || !stack || !tls) {
      eprint("out of memory for the thread slots\n");
      return 3;
    }
    t->stack_top = stack + RT_STACK_SIZE;
    t->tls = tls;
    t->fn = add_one;
    t->arg = 0;
    slot[i] = t;
  }

  unsigned long long t0 = now_ns();
  for (long long started = 0; started < total;) {
    int n = total - started < batch ? (int)(total - started) : (int)batch;
    int spawned = 0, failed = 0;
    for (; spawned < n; spawned++) {
      rt_thread *t = slot[spawned];
      __atomic_store_n(&t->done, 0, __ATOMIC_SEQ_CST);
      t->tid = wasi_thread_spawn(t);
      if (t->tid <= 0) {
        failed = t->tid;
        break;
      }
    }
    for (int i = 0; i < spawned; i++) thread_join(slot[i]);
    if (spawned < n) {
      char line[80], *p = fmt_str(line, "spawn failed ");
      p = fmt_int(p, failed);
      p = fmt_str(p, " at thread ");
      p = fmt_int(p, started + spawned);
      fmt_str(p, "\n");
      eprint(line);
      return 3;
    }
    started += n;
  }
  unsigned long long t1 = now_ns();

  unsigned c = __atomic_load_n(&counter, __ATOMIC_SEQ_CST);
  if (c != (unsigned)total) {
    char line[64], *p = fmt_str(line, "counter ");
    p = fmt_int(p, c);
    p = fmt_str(p, ", expected ");
    p = fmt_int(p, total);
    fmt_str(p, "\n");
    eprint(line);
    return 4;
  }
  char line[128], *p = fmt_str(line, "spawned and joined ");
  p = fmt_int(p, total);
  p = fmt_str(p, " threads in batches of ");
  p = fmt_int(p, batch);
  p = fmt_str(p, ": counter ");
  p = fmt_int(p, c);
  p = fmt_str(p, ", ");
  p = fmt_int(p, (long long)((t1 - t0) / 1000));
  fmt_str(p, " us\n");
  print(line);
  return 0;
}
