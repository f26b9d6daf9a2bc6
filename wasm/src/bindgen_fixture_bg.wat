;; bindgen_fixture_bg.wat: a stand-in for the `_bg.wasm` that wasm-bindgen writes for a Rust
;; crate built with +atomics,+bulk-memory, used by the tests of weft/wasm-bindgen together with
;; the hand-written glue in test/fixtures/wasm-bindgen/ (no Rust wasm32 toolchain is available
;; here). It has the parts of that shape weft relies on:
;;   - the shared memory imported as wbg.memory (wasm-bindgen's default limits 17..16384 pages),
;;     and wbg.__wbindgen_throw(ptr, len), which the glue turns into a thrown Error (a panic);
;;   - __wbindgen_start(thread_stack_size), run by the glue's init on every instance: the first
;;     instance "initializes memory", every later one "allocates" a stack and a TLS block
;;     (addresses only: nothing here uses them), exported as the globals __tls_base and
;;     __stack_alloc, as wasm-bindgen's threads transform does;
;;   - __wbindgen_thread_destroy(tls_base, stack_alloc): frees the caller's own blocks when
;;     called with (0, 0), another thread's otherwise. Here it counts the calls.
;; Counters live in shared memory so that any thread can report them:
;;   1024 instances started, 1028 destroy calls for the caller itself, 1032 destroy calls on
;;   behalf of another thread, 1036 first-instance flag, 1040 last thread_stack_size seen,
;;   1044 a word that stays 0 (block() waits on it), 2048 + 64*index: panic messages.
;; Slices passed from JavaScript (the glue's passArray8ToWasm0) go into a per-instance scratch
;; region that __wbindgen_malloc takes from memory.grow the first time it is too small, as a
;; Rust allocator would grow the heap; the exports that take a slice release it when they are
;; done, as Rust drops a `&[u8]` argument's buffer at the end of the call.
(module
  (import "wbg" "memory" (memory 17 16384 shared))
  (import "wbg" "__wbindgen_throw" (func $throw (param i32 i32)))
  (global $index (mut i32) (i32.const -1))
  (global $tls_base (export "__tls_base") (mut i32) (i32.const 0))
  (global $stack_alloc (export "__stack_alloc") (mut i32) (i32.const 0))
  (global $scratch (mut i32) (i32.const 0))
  (global $scratch_end (mut i32) (i32.const 0))
  (global $scratch_top (mut i32) (i32.const 0))
  (data $panic_message "fixture panicked: boom")

  (func (export "__wbindgen_start") (param $stack_size i32)
    (global.set $index (i32.atomic.rmw.add (i32.const 1024) (i32.const 1)))
    (i32.atomic.store (i32.const 1040) (local.get $stack_size))
    ;; The first instance initializes memory; later ones get their own stack and TLS block.
    (if (i32.eqz (i32.atomic.rmw.cmpxchg (i32.const 1036) (i32.const 0) (i32.const 1)))
      (then (return)))
    (global.set $stack_alloc (i32.add (i32.const 0x100000) (i32.mul (global.get $index) (i32.const 0x10000))))
    (global.set $tls_base (i32.add (i32.const 0x80000) (i32.mul (global.get $index) (i32.const 64)))))

  (func (export "__wbindgen_thread_destroy") (param $tls i32) (param $stack i32)
    (if (i32.and (i32.eqz (local.get $tls)) (i32.eqz (local.get $stack)))
      (then (drop (i32.atomic.rmw.add (i32.const 1028) (i32.const 1))))
      (else (drop (i32.atomic.rmw.add (i32.const 1032) (i32.const 1))))))

  (func (export "thread_index") (result i32) (global.get $index))
  (func (export "started_count") (result i32) (i32.atomic.load (i32.const 1024)))
  (func (export "destroyed_own_count") (result i32) (i32.atomic.load (i32.const 1028)))
  (func (export "destroyed_other_count") (result i32) (i32.atomic.load (i32.const 1032)))
  (func (export "stack_size_seen") (result i32) (i32.atomic.load (i32.const 1040)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))

  ;; Like a Rust panic with wasm-bindgen: the message goes out through __wbindgen_throw.
  (func (export "panic")
    (local $at i32)
    (local.set $at (i32.add (i32.const 2048) (i32.mul (global.get $index) (i32.const 64))))
    (memory.init $panic_message (local.get $at) (i32.const 0) (i32.const 22))
    (call $throw (local.get $at) (i32.const 22)))

  ;; Like a panic with panic=abort and no hook: a trap.
  (func (export "trap") unreachable)

  ;; Never returns (until the worker is ended): a thread busy for ever.
  (func (export "block")
    (drop (memory.atomic.wait32 (i32.const 1044) (i32.const 0) (i64.const -1))))

  ;; wasm-bindgen's allocator entry points (size, align) -> address; the glue copies slices there.
  (func (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32)
    (local $at i32)
    (local $pages i32)
    (local $old i32)
    (local.set $at (call $align_up (global.get $scratch_top) (local.get $align)))
    (if (i32.gt_u (i32.add (local.get $at) (local.get $size)) (global.get $scratch_end))
      (then
        (local.set $pages (i32.shr_u (i32.add (i32.add (local.get $size) (local.get $align)) (i32.const 65535)) (i32.const 16)))
        (local.set $old (memory.grow (local.get $pages)))
        (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
        (global.set $scratch (i32.shl (local.get $old) (i32.const 16)))
        (global.set $scratch_end (i32.add (global.get $scratch) (i32.shl (local.get $pages) (i32.const 16))))
        (local.set $at (call $align_up (global.get $scratch) (local.get $align)))))
    (global.set $scratch_top (i32.add (local.get $at) (local.get $size)))
    (local.get $at))

  (func (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32)
    (call $release_scratch))

  (func $release_scratch (global.set $scratch_top (global.get $scratch)))

  (func $align_up (param $at i32) (param $align i32) (result i32)
    (local.set $align (select (local.get $align) (i32.const 1) (local.get $align)))
    (i32.and (i32.add (local.get $at) (i32.sub (local.get $align) (i32.const 1))) (i32.sub (i32.const 0) (local.get $align))))

  ;; Like `pub fn sum_bytes(data: &[u8]) -> u32`: the sum of the slice's bytes.
  (func (export "sum_bytes") (param $ptr i32) (param $len i32) (result i32)
    (local $sum i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $next)))
    (call $release_scratch)
    (local.get $sum))

  ;; Like `pub fn count_bytes(data: &[u8]) -> usize`: only the slice's length, so that a call's
  ;; time is the transport and the glue's copy into wasm memory (the bench's 1 MiB rows).
  (func (export "count_bytes") (param $ptr i32) (param $len i32) (result i32)
    (call $release_scratch)
    (local.get $len))

  ;; Like `pub fn fill_bytes(data: &mut [u8], value: u8)`: the glue copies the slice back.
  (func (export "fill_bytes") (param $ptr i32) (param $len i32) (param $value i32)
    (memory.fill (local.get $ptr) (local.get $value) (local.get $len))))
