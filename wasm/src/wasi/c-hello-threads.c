// c-hello-threads.c: threads that print, use TLS, allocate, and are joined, in freestanding C with
// the runtime in rt/ (no libc). Built by scripts/build-wasm.mjs into
// wasm/wasi/c-hello-threads.wasm.
//
// main starts 4 threads (thread_create: "wasi" "thread-spawn", 64 KiB shadow stack and a TLS block
// each, from the runtime's allocator). Thread i:
//   - checks that its _Thread_local counter starts at 100 (the .tdata initializer, so the TLS
//     block was set up from the template) and records its address;
//   - allocates 1000 + 100*i bytes with rt_alloc and fills them with the byte 'a'+i, and fills a
//     256-byte array on its shadow stack with i;
//   - adds i+1 to its counter 5 times, yielding (sched_yield) in between while the other threads
//     do the same;
//   - checks the counter is 100 + 5*(i+1), its stack array and its allocation still hold its own
//     bytes (nobody else wrote there), and prints "thread <i> says hello\n" with one fd_write.
// main joins all 4, checks that the 4 counters and main's own are at 5 different addresses, that
// main's counter is still 100, and that the 4 allocations do not overlap, then prints
// "joined 4\n" and returns 0 (the runtime's _start then calls proc_exit(0)).
//
// Expected: stdout the 4 lines "thread <i> says hello\n", i = 0..3, in any order (each line
// whole), then "joined 4\n"; nothing on stderr; exit code 0 (through proc_exit(0)).
// Failures: stderr "thread <i>: <what> is wrong\n" from a thread or "main: <what> is wrong\n"
// and exit code 1; a thread that could not be spawned: "spawn failed <code>\n", exit code 3.
//
// The host must: as for every wasi-threads program (memory "env" "memory", shared, min from the
// binary, max 4 MiB; thread-spawn; a fresh instance per thread), and fd_write, sched_yield,
// args_sizes_get/args_get, proc_exit. Nothing about stacks or TLS: the program sets up its own in
// wasi_thread_start (it exports neither __stack_pointer nor the TLS symbols).
#include "rt/rt.h"

#define THREADS 4
#define ROUNDS 5

static _Thread_local int counter = 100;

typedef struct {
  int index;
  int *counter_at;        // where this thread's counter lives
  unsigned char *block;   // its allocation
  size_t block_size;
} job;

static job jobs[THREADS];

__attribute__((noinline)) static void fill(unsigned char *p, size_t n, unsigned char v) {
  for (size_t k = 0; k < n; k++) ((volatile unsigned char *)p)[k] = v;
}

__attribute__((noinline)) static int holds(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t k = 0; k < n; k++)
    if (((const volatile unsigned char *)p)[k] != v) return 0;
  return 1;
}

static int fail(const char *who, int index, const char *what) {
  char line[96], *p = fmt_str(line, who);
  if (index >= 0) p = fmt_int(p, index);
  p = fmt_str(p, ": ");
  p = fmt_str(p, what);
  fmt_str(p, " is wrong\n");
  eprint(line);
  return 1;
}

static int run(void *arg) {
  job *j = arg;
  int i = j->index;
  unsigned char on_stack[256];
  if (counter != 100) return fail("thread ", i, "the initial _Thread_local value");
  j->counter_at = &counter;
  j->block_size = 1000 + 100 * (size_t)i;
  j->block = rt_alloc(j->block_size, 8);
  if (!j->block) return fail("thread ", i, "rt_alloc");
  fill(j->block, j->block_size, (unsigned char)('a' + i));
  fill(on_stack, sizeof on_stack, (unsigned char)i);
  for (int r = 0; r < ROUNDS; r++) {
    counter += i + 1;
    rt_yield();
  }
  if (counter != 100 + ROUNDS * (i + 1)) return fail("thread ", i, "the _Thread_local counter");
  if (!holds(on_stack, sizeof on_stack, (unsigned char)i)) return fail("thread ", i, "the stack");
  if (!holds(j->block, j->block_size, (unsigned char)('a' + i)))
    return fail("thread ", i, "the allocation");
  char line[64], *p = fmt_str(line, "thread ");
  p = fmt_int(p, i);
  fmt_str(p, " says hello\n");
  print(line);
  return 0;
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  rt_thread *threads[THREADS];
  for (int i = 0; i < THREADS; i++) {
    jobs[i].index = i;
    threads[i] = thread_create(run, &jobs[i]);
    if (!threads[i]) return fail("main", -1, "rt_alloc for a thread");
    if (threads[i]->tid <= 0) {
      char line[48];
      fmt_str(fmt_int(fmt_str(line, "spawn failed "), threads[i]->tid), "\n");
      eprint(line);
      return 3;
    }
  }
  int failed = 0;
  for (int i = 0; i < THREADS; i++) failed |= thread_join(threads[i]);
  if (failed) return 1;
  if (counter != 100) return fail("main", -1, "main's _Thread_local counter");
  for (int i = 0; i < THREADS; i++) {
    if (jobs[i].counter_at == &counter) return fail("main", -1, "a thread's TLS address");
    for (int k = 0; k < i; k++) {
      if (jobs[k].counter_at == jobs[i].counter_at)
        return fail("main", -1, "a thread's TLS address");
      unsigned char *a = jobs[i].block, *b = jobs[k].block;
      if (a < b + jobs[k].block_size && b < a + jobs[i].block_size)
        return fail("main", -1, "the allocations (they overlap)");
    }
  }
  print("joined 4\n");
  return 0;
}
