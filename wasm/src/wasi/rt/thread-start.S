// thread-start.S: wasi_thread_start(tid, start_arg), the entry point of every spawned thread
// (see rt.h). start_arg points at the thread's rt_thread: +0 the top of its shadow stack, +4 its
// TLS block. Both are set up here, in assembly, because compiled C may use the stack (and TLS)
// from its first instruction, and a fresh instance starts with the same __stack_pointer as the
// main thread's. Then rt_thread_main (rt.c) runs the thread function.
// Exported by the linker flag --export=wasi_thread_start (scripts/build-wasm.mjs).

	.globaltype	__stack_pointer, i32
	.functype	__wasm_init_tls (i32) -> ()
	.functype	rt_thread_main (i32, i32) -> ()

	.text
	.globl	wasi_thread_start
	.type	wasi_thread_start,@function
wasi_thread_start:
	.functype	wasi_thread_start (i32, i32) -> ()
	local.get	1
	i32.load	0          // start_arg->stack_top
	global.set	__stack_pointer
	local.get	1
	i32.load	4          // start_arg->tls
	call	__wasm_init_tls    // copies .tdata there and sets __tls_base
	local.get	0
	local.get	1
	call	rt_thread_main
	end_function
