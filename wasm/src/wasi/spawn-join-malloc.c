// spawn-join-malloc.c: spawn-join.c unchanged plus exported malloc and free (export-malloc.h), for
// @emnapi/wasi-threads, which calls them to spawn a thread (bench/wasi.mjs). Built by
// scripts/build-wasm.mjs into wasm/wasi/spawn-join-malloc.wasm. Usage, output and exit codes are
// those of spawn-join.c.
#include "spawn-join.c"
#include "export-malloc.h"
