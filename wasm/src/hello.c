// The classic example, built by scripts/build-wasm.mjs into wasm/hello.wasm.
//
// Freestanding C (no libc): clang-22 --target=wasm32 with shared, imported memory. Every export is
// marked with export_name(...) so the module's export list is exactly the functions below (plus
// the __stack_pointer / TLS symbols the build script asks the linker for).
//
// What the exports exercise in weft:
//   hello          static data shared by all threads (one slot per thread id)
//   count          atomics on one shared counter
//   tls_calls      thread-local storage: one copy per thread, so TLS must be set up per instance
//   stack_check    the shadow stack: each thread must have a private one
//   sum_range      parallelFor chunks, with a shared atomic total

#define EXPORT(name) __attribute__((export_name(name)))

// ---------------------------------------------------------------------------------------------
// hello: "hello from thread <id>" written into a per-thread slot of shared static memory.

static char greetings[64][32];

EXPORT("hello")
char *hello(int thread_id) {
  // Slot by id modulo 64, so any id is safe; ids 0..63 never share a slot.
  char *out = greetings[(unsigned)thread_id % 64u];
  const char *prefix = "hello from thread ";
  int n = 0;
  while (prefix[n]) {
    out[n] = prefix[n];
    n++;
  }
  // Format the id by hand (no libc). Work in unsigned so INT_MIN does not overflow on negation.
  unsigned v = (unsigned)thread_id;
  if (thread_id < 0) {
    out[n++] = '-';
    v = 0u - v;
  }
  char digits[10];
  int d = 0;
  do {
    digits[d++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  while (d) out[n++] = digits[--d];
  out[n] = '\0';  // at most 18 + 11 + 1 = 30 bytes: fits the 32-byte slot
  return out;
}

// ---------------------------------------------------------------------------------------------
// A shared counter, incremented with sequentially consistent atomics.

static int counter;

EXPORT("count")
void count(int n) {
  for (int i = 0; i < n; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
}

EXPORT("counter_value")
int counter_value(void) { return __atomic_load_n(&counter, __ATOMIC_SEQ_CST); }

EXPORT("counter_reset")
void counter_reset(void) { __atomic_store_n(&counter, 0, __ATOMIC_SEQ_CST); }

// ---------------------------------------------------------------------------------------------
// Thread-local storage. With --shared-memory, wasm-ld puts _Thread_local data in a TLS block that
// __wasm_init_tls(ptr) copies to ptr; each instance (thread) needs its own block, so on a working
// pool every thread counts its own calls from 1.

static _Thread_local int tls_call_count;

EXPORT("tls_calls")
int tls_calls(void) { return ++tls_call_count; }

// ---------------------------------------------------------------------------------------------
// stack_check(depth, seed): proves each thread has its own shadow stack.
//
// Each level keeps a 256-byte array on the shadow stack (its address is passed to noinline
// functions, so the compiler must keep it in linear memory), recurses, and then verifies the
// array is still intact. Run concurrently on threads that share one stack, the frames of one
// thread overwrite the other's and a check fails: the result is then -1.
//
// Threads are usually called with the same arguments (pool.broadcast), which would write the same
// bytes to the same addresses and hide the sharing, so each thread XORs its bytes with a mask
// taken from a per-thread token (TLS). The mask cancels out in the verification and is not part of
// the checksum, so the result depends only on (depth, seed).
// The bottom level spins for a while (about a millisecond) so that concurrent calls overlap.

static int next_token;
static _Thread_local int stack_token;

static unsigned char pattern(int seed, int level, int i) {
  unsigned x = (unsigned)seed * 2654435761u + (unsigned)level * 40503u + (unsigned)i * 97u;
  x ^= x >> 13;
  x *= 0x5bd1e995u;
  x ^= x >> 15;
  return (unsigned char)x;
}

__attribute__((noinline)) static void fill(unsigned char *buf, int seed, int level, unsigned char mask) {
  for (int i = 0; i < 256; i++) buf[i] = pattern(seed, level, i) ^ mask;
}

// Returns the sum of the unmasked bytes, or -1 if any byte is not what fill() wrote.
__attribute__((noinline)) static int verify(const unsigned char *buf, int seed, int level, unsigned char mask) {
  int sum = 0;
  for (int i = 0; i < 256; i++) {
    unsigned char expected = pattern(seed, level, i);
    if ((unsigned char)(buf[i] ^ mask) != expected) return -1;
    sum += expected;
  }
  return sum;
}

__attribute__((noinline)) static int spin(int seed) {
  unsigned x = (unsigned)seed | 1u;
  for (int i = 0; i < (1 << 18); i++) {  // xorshift32: cannot be folded away
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
  }
  return (int)(x & 0xffu);
}

static int stack_check_level(int depth, int seed, int level, unsigned char mask) {
  unsigned char buf[256];
  fill(buf, seed, level, mask);
  int below = depth > 0 ? stack_check_level(depth - 1, seed, level + 1, mask) : spin(seed);
  int here = verify(buf, seed, level, mask);
  if (below < 0 || here < 0) return -1;
  return (int)(((unsigned)below * 31u + (unsigned)here) & 0x7fffffffu);
}

EXPORT("stack_check")
int stack_check(int depth, int seed) {
  if (stack_token == 0) stack_token = __atomic_add_fetch(&next_token, 1, __ATOMIC_SEQ_CST);
  unsigned char mask = (unsigned char)(stack_token * 37 + 1);  // differs between any 256 threads
  return stack_check_level(depth, seed, 0, mask);
}

// ---------------------------------------------------------------------------------------------
// sum_range(start, end) for parallelFor: the chunk's sum of i in [start, end), also added
// atomically into a shared total. Unsigned arithmetic: wraps instead of undefined overflow.

static int total;

EXPORT("sum_range")
int sum_range(int start, int end) {
  unsigned s = 0;
  for (int i = start; i < end; i++) s += (unsigned)i;
  __atomic_fetch_add(&total, (int)s, __ATOMIC_SEQ_CST);
  return (int)s;
}

EXPORT("total_value")
int total_value(void) { return __atomic_load_n(&total, __ATOMIC_SEQ_CST); }

EXPORT("total_reset")
void total_reset(void) { __atomic_store_n(&total, 0, __ATOMIC_SEQ_CST); }
