// c-workload.c: a program that outgrows one thread, in the shape of a real tool: a parallel
// `wc` plus checksum over files under a preopened directory, with more worker threads than a
// machine has cores, a rate limiter that sleeps between reads, output lines from many threads at
// once, and a result file. Freestanding C with the runtime in rt/ (no libc). Built by
// scripts/build-wasm.mjs into wasm/wasi/c-workload.wasm.
//
// Usage: c-workload THREADS SLEEP_MS OUT FILE...
//   THREADS   worker threads to spawn, 1..256 (the caller picks more than its cores)
//   SLEEP_MS  the rate limit: after every read of up to 4096 bytes a worker sleeps SLEEP_MS
//             milliseconds (0..10000) in poll_oneoff, as a tool pacing its I/O would
//   OUT       the result file to write, under the preopen
//   FILE...   input files under the preopen (fd 3), at most 1024; paths as WASI takes them
//
// What it does:
//   1. main spawns THREADS workers. Each counts itself into `running` (and the peak of it, with a
//      compare-and-swap), arrives at a start gate and waits there (memory.atomic.wait32).
//   2. main waits until all THREADS have arrived (or 20 s have passed: a host that cannot run them
//      all at once then shows as a lower count instead of a hang), prints
//      "started <arrived> of <THREADS> threads\n", and opens the gate. Nothing else prints before.
//   3. Workers take files one at a time (atomic fetch-and-add on the next index). For each they
//      path_open it, fd_read it 4096 bytes at a time, sleeping SLEEP_MS after every read that
//      returned data, and count as `wc` does: lines ('\n'), words (runs of bytes that are not
//      space, \t, \n, \v, \f or \r), bytes, and the 32-bit FNV-1a hash of the content. Then each
//      prints "<file>: lines <l> words <w> bytes <b> fnv1a <8 lowercase hex digits>\n" with one
//      fd_write, so lines from threads that finish together arrive whole, in any order. A file
//      that fails prints "<file>: error <call> errno <n>\n" to stderr instead.
//   4. main joins the workers, prints "joined <THREADS> threads\n", writes OUT: the file lines in
//      argument order, then "total: files <n> lines <l> words <w> bytes <b>\n" (one fd_write per
//      line), and prints that total line and "peak concurrent threads: <p>\n", where p is the
//      most workers that were running at once (the main thread not counted).
//
// Expected stdout, for THREADS = T and n files:
//   started T of T threads
//   <the n file lines, in any order>
//   joined T threads
//   total: files n lines <l> words <w> bytes <b>
//   peak concurrent threads: T
// nothing on stderr, exit code 0. Failures: bad arguments -> stderr "usage: ...", exit code 2; a
// thread that could not be spawned -> stderr "spawn failed <code>\n", exit code 3; an input file
// that could not be read -> its stderr line, the others as above, exit code 1; OUT that could not
// be written -> stderr "<OUT>: error <call> errno <n>\n", exit code 1.
//
// Cost: the threads mostly sleep. Each read costs a few microseconds of counting and two host
// round trips (fd_read, poll_oneoff); a sleeping thread blocks in the host's Atomics.wait, so a
// run uses little CPU however long it sleeps (test/node/wasi-workload.test.mjs measures that).
//
// The host must: as for every wasi-threads program (memory "env" "memory", shared, min from the
// binary, max 32 MiB: THREADS 64 KiB stacks from the runtime; thread-spawn; a fresh instance per
// thread), and args_sizes_get / args_get, path_open, fd_read, fd_write, fd_close, poll_oneoff with
// a relative monotonic clock, clock_time_get, proc_exit (and sched_yield, which rt imports).
#include "rt/rt.h"

#define MAX_THREADS 256
#define MAX_FILES 1024
#define MAX_SLEEP_MS 10000
#define CHUNK 4096
#define PREOPEN 3
#define GATE_TIMEOUT_NS (20ull * 1000 * 1000 * 1000)
#define NS_PER_MS 1000000ull

typedef struct {
  unsigned long long lines, words, bytes;
  unsigned hash;
  int failed;  // 1 when the file could not be read; it then counts nothing
} file_result;

static const char *usage = "usage: c-workload THREADS SLEEP_MS OUT FILE... (THREADS 1..256, SLEEP_MS 0..10000, at most 1024 files)\n";

static char **file_names;
static file_result *results;
static unsigned file_count;
static unsigned long long sleep_ns;

static unsigned next_file;  // atomic: the next file to take
static unsigned running;    // atomic: workers between start and end
static unsigned peak;       // atomic: the most `running` has been
static unsigned arrived;    // atomic: workers at the start gate (main waits on it)
static unsigned gate_open;  // atomic: set by main once; workers wait on it

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static char *fmt_hex32(char *dst, unsigned v) {
  for (int shift = 28; shift >= 0; shift -= 4) *dst++ = "0123456789abcdef"[(v >> shift) & 15];
  *dst = 0;
  return dst;
}

// "<name>: lines <l> words <w> bytes <b> fnv1a <hash>\n"
static void format_result(char *line, const char *name, const file_result *r) {
  char *p = fmt_str(fmt_str(line, name), ": lines ");
  p = fmt_str(fmt_int(p, (long long)r->lines), " words ");
  p = fmt_str(fmt_int(p, (long long)r->words), " bytes ");
  p = fmt_str(fmt_int(p, (long long)r->bytes), " fnv1a ");
  fmt_str(fmt_hex32(p, r->hash), "\n");
}

static void report_error(const char *name, const char *call, int err) {
  char line[600];
  char *p = fmt_str(fmt_str(fmt_str(fmt_str(line, name), ": error "), call), " errno ");
  fmt_str(fmt_int(p, err), "\n");
  eprint(line);
}

// Counts one file into *r; the errno of the first call that failed, or 0.
static int count_file(const char *name, file_result *r) {
  int fd;
  int err = rt_open(PREOPEN, name, 0, &fd);
  if (err) {
    report_error(name, "path_open", err);
    return err;
  }
  unsigned char buffer[CHUNK];
  unsigned hash = 2166136261u;
  int in_word = 0;
  for (;;) {
    size_t got;
    if ((err = rt_read(fd, buffer, sizeof buffer, &got))) {
      report_error(name, "fd_read", err);
      break;
    }
    if (got == 0) break;
    for (size_t i = 0; i < got; i++) {
      unsigned char c = buffer[i];
      hash = (hash ^ c) * 16777619u;
      if (c == '\n') r->lines++;
      if (is_space(c)) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        r->words++;
      }
    }
    r->bytes += got;
    // The rate limiter: a tool pacing its reads. The thread blocks in the host meanwhile.
    if (sleep_ns && (err = rt_sleep_ns(sleep_ns))) {
      report_error(name, "poll_oneoff", err);
      break;
    }
  }
  r->hash = hash;
  rt_close(fd);
  return err;
}

static int worker(void *unused) {
  (void)unused;
  unsigned now = __atomic_add_fetch(&running, 1, __ATOMIC_SEQ_CST);
  unsigned seen = __atomic_load_n(&peak, __ATOMIC_SEQ_CST);
  while (now > seen && !__atomic_compare_exchange_n(&peak, &seen, now, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
  }
  __atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify((int *)&arrived, 1);
  while (__atomic_load_n(&gate_open, __ATOMIC_SEQ_CST) == 0)
    __builtin_wasm_memory_atomic_wait32((int *)&gate_open, 0, -1);

  int failed = 0;
  for (;;) {
    unsigned i = __atomic_fetch_add(&next_file, 1, __ATOMIC_SEQ_CST);
    if (i >= file_count) break;
    file_result *r = &results[i];
    if (count_file(file_names[i], r)) {
      r->failed = 1;
      failed = 1;
      continue;
    }
    char line[600];
    format_result(line, file_names[i], r);
    print(line);
  }
  __atomic_sub_fetch(&running, 1, __ATOMIC_SEQ_CST);
  return failed;
}

// Waits until every spawned worker is at the gate or the timeout has passed; returns how many are.
static unsigned wait_for_arrivals(unsigned spawned) {
  unsigned long long deadline = rt_now_ns() + GATE_TIMEOUT_NS;
  for (;;) {
    unsigned n = __atomic_load_n(&arrived, __ATOMIC_SEQ_CST);
    if (n >= spawned) return n;
    unsigned long long now = rt_now_ns();
    if (now >= deadline) return n;
    __builtin_wasm_memory_atomic_wait32((int *)&arrived, (int)n, (long long)(deadline - now));
  }
}

static int write_results(const char *out, const char *total_line) {
  int fd;
  int err = rt_open(PREOPEN, out, RT_O_CREAT | RT_O_TRUNC, &fd);
  if (err) {
    report_error(out, "path_open", err);
    return err;
  }
  char line[600];
  for (unsigned i = 0; i < file_count && !err; i++) {
    if (results[i].failed) continue;
    format_result(line, file_names[i], &results[i]);
    err = rt_write(fd, line, rt_strlen(line));
  }
  if (!err) err = rt_write(fd, total_line, rt_strlen(total_line));
  if (err) report_error(out, "fd_write", err);
  int close_err = rt_close(fd);
  if (!err && close_err) report_error(out, "fd_close", err = close_err);
  return err;
}

int main(int argc, char **argv) {
  long long threads = argc > 1 ? rt_parse_decimal(argv[1], MAX_THREADS) : -1;
  long long sleep_ms = argc > 2 ? rt_parse_decimal(argv[2], MAX_SLEEP_MS) : -1;
  if (threads < 1 || sleep_ms < 0 || argc < 5 || argc - 4 > MAX_FILES) {
    eprint(usage);
    return 2;
  }
  for (int i = 4; i < argc; i++) {
    if (rt_strlen(argv[i]) > 500) {
      eprint(usage);
      return 2;
    }
  }
  const char *out = argv[3];
  if (rt_strlen(out) > 500) {
    eprint(usage);
    return 2;
  }
  sleep_ns = (unsigned long long)sleep_ms * NS_PER_MS;
  file_names = argv + 4;
  file_count = (unsigned)(argc - 4);
  results = rt_alloc(file_count * sizeof *results, 16);
  if (!results) {
    eprint("out of memory\n");
    return 3;
  }

  rt_thread *t[MAX_THREADS];
  for (int i = 0; i < threads; i++) {
    t[i] = thread_create(worker, 0);
    if (!t[i] || t[i]->tid <= 0) {
      char line[48];
      fmt_str(fmt_int(fmt_str(line, "spawn failed "), t[i] ? t[i]->tid : 0), "\n");
      eprint(line);
      return 3;
    }
  }
  unsigned at_gate = wait_for_arrivals((unsigned)threads);
  char line[600], *p = fmt_str(line, "started ");
  p = fmt_str(fmt_int(p, at_gate), " of ");
  fmt_str(fmt_int(p, threads), " threads\n");
  print(line);
  __atomic_store_n(&gate_open, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify((int *)&gate_open, 0xffffffffu);

  int failed = 0;
  for (int i = 0; i < threads; i++) failed |= thread_join(t[i]);
  p = fmt_str(line, "joined ");
  fmt_str(fmt_int(p, threads), " threads\n");
  print(line);

  file_result total = {0};
  unsigned counted = 0;
  for (unsigned i = 0; i < file_count; i++) {
    if (results[i].failed) continue;
    counted++;
    total.lines += results[i].lines;
    total.words += results[i].words;
    total.bytes += results[i].bytes;
  }
  char total_line[160];
  p = fmt_str(fmt_int(fmt_str(total_line, "total: files "), counted), " lines ");
  p = fmt_str(fmt_int(p, (long long)total.lines), " words ");
  p = fmt_str(fmt_int(p, (long long)total.words), " bytes ");
  fmt_str(fmt_int(p, (long long)total.bytes), "\n");
  if (write_results(out, total_line)) failed = 1;
  print(total_line);
  p = fmt_str(line, "peak concurrent threads: ");
  fmt_str(fmt_int(p, __atomic_load_n(&peak, __ATOMIC_SEQ_CST)), "\n");
  print(line);
  return failed;
}
