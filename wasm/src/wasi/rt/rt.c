// rt.c: the runtime of the C wasi-threads programs (see rt.h). No libc: WASI preview1 and
// wasi-threads imports only.
#include "rt.h"

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

typedef struct { const void *buf; size_t len; } ciovec;
WASI("fd_write") int wasi_fd_write(int fd, const ciovec *iovs, size_t n, size_t *nwritten);
WASI("args_sizes_get") int wasi_args_sizes_get(size_t *argc, size_t *buf_size);
WASI("args_get") int wasi_args_get(char **argv, char *buf);
WASI("sched_yield") int wasi_sched_yield(void);
WASI("proc_exit") __attribute__((noreturn)) void wasi_proc_exit(int code);
__attribute__((import_module("wasi"), import_name("thread-spawn")))
int wasi_thread_spawn(void *arg);

extern unsigned char __heap_base;  // end of data and main stack, from the linker
extern void __wasm_call_ctors(void);

// ---- allocator ------------------------------------------------------------------------------

static unsigned char *heap_top = &__heap_base;  // only ever grows, by compare-and-swap

void *rt_alloc(size_t size, size_t align) {
  unsigned char *cur = __atomic_load_n(&heap_top, __ATOMIC_SEQ_CST);
  size_t start, end;
  do {
    start = ((size_t)cur + align - 1) & ~(align - 1);
    end = start + size;
    if (start < (size_t)cur || end < start) return 0;  // wrapped past 4 GiB
  } while (!__atomic_compare_exchange_n(&heap_top, &cur, (unsigned char *)end, 1, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST));
  // [start, end) is ours; make sure memory reaches it. Threads may grow at the same time: each
  // asks only for what is still missing, and a failed grow is rechecked against the new size.
  size_t pages = end / 65536 + (end % 65536 != 0);
  for (;;) {
    size_t have = __builtin_wasm_memory_size(0);
    if (have >= pages) return (void *)start;
    if (__builtin_wasm_memory_grow(0, pages - have) == (size_t)-1 &&
        __builtin_wasm_memory_size(0) == have)
      return 0;
  }
}

// ---- output ---------------------------------------------------------------------------------

size_t rt_strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

char *fmt_str(char *dst, const char *s) {
  while (*s) *dst++ = *s++;
  *dst = 0;
  return dst;
}

char *fmt_int(char *dst, long long v) {
  unsigned long long u = (unsigned long long)v;
  if (v < 0) {
    *dst++ = '-';
    u = 0 - u;
  }
  char digits[20];
  int n = 0;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  while (n) *dst++ = digits[--n];
  *dst = 0;
  return dst;
}

static void write_all(int fd, const char *s, size_t len) {
  while (len) {
    ciovec iov = {s, len};
    size_t written = 0;
    if (wasi_fd_write(fd, &iov, 1, &written) != 0 || written == 0) return;
    s += written;
    len -= written;
  }
}

void print(const char *s) { write_all(1, s, rt_strlen(s)); }
void eprint(const char *s) { write_all(2, s, rt_strlen(s)); }

void print_int(long long v) {
  char buf[24];
  fmt_int(buf, v);
  print(buf);
}

void rt_yield(void) { wasi_sched_yield(); }
void rt_exit(int code) { wasi_proc_exit(code); }

// ---- threads --------------------------------------------------------------------------------

static _Thread_local int current_tid;  // 0 on the main thread

int thread_id(void) { return current_tid; }

// Called by wasi_thread_start (thread-start.S) once the stack and TLS are set up.
void rt_thread_main(int tid, rt_thread *t) {
  current_tid = tid;
  t->result = t->fn(t->arg);
  __atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&t->done, 0xffffffffu);
}

rt_thread *thread_create(int (*fn)(void *), void *arg) {
  rt_thread *t = rt_alloc(sizeof *t, 16);
  unsigned char *stack = rt_alloc(RT_STACK_SIZE, 16);
  size_t tls_size = __builtin_wasm_tls_size();
  void *tls = rt_alloc(tls_size ? tls_size : 1, __builtin_wasm_tls_align());
  if (!t || !stack || !tls) return 0;
  t->stack_top = stack + RT_STACK_SIZE;
  t->tls = tls;
  t->fn = fn;
  t->arg = arg;
  // The host hands start_arg to the new thread through its own synchronization, so the stores
  // above are visible there. Only this thread reads t->tid (the new one gets its tid as argument).
  t->tid = wasi_thread_spawn(t);
  return t;
}

int thread_join(rt_thread *t) {
  while (__atomic_load_n(&t->done, __ATOMIC_SEQ_CST) == 0)
    __builtin_wasm_memory_atomic_wait32(&t->done, 0, -1);
  return t->result;
}

// ---- _start ---------------------------------------------------------------------------------

void _start(void) {
  __wasm_call_ctors();
  static char *no_args[1];
  char **argv = no_args;
  int argc = 0;
  size_t n, buf_size;
  if (wasi_args_sizes_get(&n, &buf_size) == 0) {
    char **v = rt_alloc((n + 1) * sizeof *v, 16);
    char *buf = rt_alloc(buf_size, 1);
    if (v && buf && wasi_args_get(v, buf) == 0) {
      argv = v;
      argc = (int)n;
    }
  }
  rt_exit(main(argc, argv));
}

long long rt_parse_decimal(const char *s, long long max) {
  long long v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (*s - '0');
    if (v > max) return -1;
  }
  return v;
}
