// hello-libc.c: the hello world of bench family `cli-start` (bench/cli-start.mjs), a real
// wasm32-wasip1 program linked with wasi-libc: stdio, its own memory, no threads.
// Built with Debian's wasi-libc and clang-22 (apt-get install wasi-libc libclang-rt-22-dev-wasm32
// clang-22 lld-22), from bench/programs:
//   clang-22 --target=wasm32-wasi --sysroot=/usr -O2 --no-wasm-opt -Wl,--strip-all hello-libc.c -o hello-libc.wasm
// Expected: stdout "hello, world\n", nothing on stderr, exit code 0.
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
