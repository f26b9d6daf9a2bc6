// export-malloc.h: exports malloc and free from the runtime's bump allocator (rt/rt.h rt_alloc),
// for hosts that call them. Included at the end of a program's *-malloc.c variant (e.g.
// spawn-join-malloc.c, c-primes-malloc.c), which is the program unchanged plus these two exports.
//
// Why: @emnapi/wasi-threads (with @tybys/wasm-util) implements the standard one-argument
// "wasi" "thread-spawn" by calling the module's exported malloc(8) for an 8-byte result record
// and free() on it afterwards; a standard wasi-threads module exports neither, so that host cannot
// run it as is (bench/wasi.mjs measures this). weft needs neither.
//
// rt_alloc never frees: free is a no-op, and every spawn leaks 8 bytes (16 with the alignment),
// which is 16 KB for 1,000 spawns.
#ifndef WEFT_WASI_EXPORT_MALLOC_H
#define WEFT_WASI_EXPORT_MALLOC_H

#include "rt/rt.h"

__attribute__((export_name("malloc"))) void *malloc(size_t size) { return rt_alloc(size ? size : 1, 16); }

__attribute__((export_name("free"))) void free(void *ptr) { (void)ptr; }

#endif
