// rt.h: a tiny runtime for the freestanding C wasi-threads programs in wasm/src/wasi/ (no libc:
// wasi-libc's wasm32-wasip1-threads build, which would give pthreads, cannot be had here).
// scripts/build-wasm.mjs links every wasm/src/wasi/*.c with every .c and .S in rt/ (rt.c, files.c,
// time.c, thread-start.S).
//
// What it gives a program:
//   _start             __wasm_call_ctors(), main(argc, argv) with args from args_get, then
//                      proc_exit(main's result), always, even 0 (rt.c)
//   wasi_thread_start  the wasi-threads entry point (thread-start.S): sets __stack_pointer and the
//                      TLS block from the start argument before any C code runs
//   thread_create / thread_join   threads through the "wasi" "thread-spawn" import; each spawned
//                      thread gets a RT_STACK_SIZE shadow stack and its own TLS block, both from
//                      rt_alloc (never freed: fine for test programs, not for one thread per
//                      task)
//   rt_alloc           lock-free bump allocator over __heap_base, memory.grow when needed; the
//                      memory it returns is zeroed (fresh memory, never reused)
//   print / eprint / print_int, fmt_str / fmt_int   output with one fd_write per call
//   rt_open / rt_read / rt_write / rt_close   files under a preopened directory (files.c)
//   rt_now_ns / rt_sleep_ns   the monotonic clock, and sleeping in poll_oneoff (time.c)
#ifndef WEFT_WASI_RT_H
#define WEFT_WASI_RT_H

#include <stddef.h>

// Shadow stack of each spawned thread, in bytes (the main thread's comes from the linker:
// -z stack-size, the same 64 KiB). There is no guard page: an overflow silently corrupts memory.
#define RT_STACK_SIZE (64 * 1024)

typedef struct rt_thread {
  void *stack_top;     // +0  read by wasi_thread_start before any C code runs (thread-start.S)
  void *tls;           // +4  read by wasi_thread_start: passed to __wasm_init_tls
  int (*fn)(void *);   // +8
  void *arg;           // +12
  int tid;             // +16 what thread-spawn returned (negative: the spawn failed)
  int done;            // +20 0 while running, 1 when fn has returned (atomic; joins wait on it)
  int result;          // +24 fn's result
} rt_thread;

// Starts fn(arg) on a new thread. Returns 0 when out of memory; otherwise check ->tid, which is
// negative when thread-spawn failed (then the thread never runs and must not be joined).
rt_thread *thread_create(int (*fn)(void *), void *arg);
// Waits (memory.atomic.wait32) until the thread's fn has returned; returns its result.
int thread_join(rt_thread *t);
// The calling thread's tid (0 on the main thread, which runs _start).
int thread_id(void);

// size bytes aligned to align (a power of two), zeroed; 0 when memory cannot grow. Thread-safe.
void *rt_alloc(size_t size, size_t align);

size_t rt_strlen(const char *s);
// Append s / v (decimal) at dst, NUL-terminate, return the new end (the NUL).
char *fmt_str(char *dst, const char *s);
char *fmt_int(char *dst, long long v);
// The decimal number s, if it is one in [0, max]; -1 otherwise (for argv).
long long rt_parse_decimal(const char *s, long long max);
// One fd_write each (more only if the host writes partially) to stdout / stderr.
void print(const char *s);
void eprint(const char *s);
void print_int(long long v);

void rt_yield(void);                             // sched_yield
__attribute__((noreturn)) void rt_exit(int code);  // proc_exit

// ---- files (files.c): each returns the WASI errno, 0 on success ------------------------------

#define RT_ERRNO_IO 29  // WASI errno "io": a write or poll that made no progress

// WASI oflags for rt_open.
#define RT_O_CREAT 1
#define RT_O_TRUNC 8

// Opens path under the directory dirfd (a preopen is fd 3, 4, ...) with every right the host
// grants; *fd is the new descriptor.
int rt_open(int dirfd, const char *path, int oflags, int *fd);
// One fd_read of at most len bytes; *got is what arrived (0 at the end of the file).
int rt_read(int fd, void *buf, size_t len, size_t *got);
// Writes all len bytes: one fd_write, more only if the host writes partially.
int rt_write(int fd, const void *buf, size_t len);
int rt_close(int fd);

// ---- time (time.c) ----------------------------------------------------------------------------

// The monotonic clock (clock_time_get), in nanoseconds; 0 if the host has none.
unsigned long long rt_now_ns(void);
// Sleeps ns nanoseconds: poll_oneoff with one relative clock subscription, so the thread blocks
// in the host instead of spinning. Returns the errno of the call or of its event.
int rt_sleep_ns(unsigned long long ns);

int main(int argc, char **argv);

#endif
