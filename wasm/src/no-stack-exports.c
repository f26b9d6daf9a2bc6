// A module weft must refuse: built by scripts/build-wasm.mjs WITHOUT
// -Wl,--export=__stack_pointer,--export=__wasm_init_tls,... (see the table in the script).
//
// uses_stack() really uses the shadow stack (a local array whose address is passed to a function
// that is not inlined, so it must live in linear memory at __stack_pointer). With the stack
// pointer not exported, a host cannot give a second instance its own stack: every thread would
// run on the same one and corrupt the others' frames. So weft must reject this module with an
// error that says so, rather than run it on several threads.

#define EXPORT(name) __attribute__((export_name(name)))

__attribute__((noinline)) static int sum(const int *values, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += values[i];
  return s;
}

// Returns 0 + 1 + ... + (n-1) for n in 0..64 (n is clamped to that range).
EXPORT("uses_stack")
int uses_stack(int n) {
  int values[64];
  if (n < 0) n = 0;
  if (n > 64) n = 64;
  for (int i = 0; i < n; i++) values[i] = i;
  return sum(values, n);
}
