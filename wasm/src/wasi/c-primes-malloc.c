// c-primes-malloc.c: c-primes.c unchanged plus exported malloc and free (export-malloc.h), for
// @emnapi/wasi-threads, which calls them to spawn a thread (bench/wasi.mjs). Built by
// scripts/build-wasm.mjs into wasm/wasi/c-primes-malloc.wasm. Usage, output and exit codes are
// those of c-primes.c; it needs the same memory maximum (SETTINGS in scripts/build-wasm.mjs).
#include "c-primes.c"
#include "export-malloc.h"
