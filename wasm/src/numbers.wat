;; numbers.wat: hand-written module for weft's tests of argument/result passing, traps, hangs and
;; export lookup. Built by scripts/build-wasm.mjs with wat2wasm --enable-threads.
;;
;; The memory import has odd module and field names on purpose: weft must read the import from the
;; module rather than assume "env"."memory".
;;
;; Address 65532 (the last word of the first page) is the "never written" word that
;; wait_forever and sleep_ms wait on: tests must not store_i32 / atomic_add there.
(module
  (import "odd module" "some memory" (memory 1 16 shared))

  ;; Non-function exports, so weft can report "export is not a function".
  (global (export "g") i32 (i32.const 42))
  (table (export "not_a_function") 1 funcref)

  (func (export "echo_i32") (param i32) (result i32) (local.get 0))
  (func (export "echo_i64") (param i64) (result i64) (local.get 0))
  (func (export "echo_f32") (param f32) (result f32) (local.get 0))
  (func (export "echo_f64") (param f64) (result f64) (local.get 0))

  (func (export "add_i32") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add_i64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "add_f64") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))

  ;; i32 + i64 + f32 + f64, all converted to f64 (signed for the integers).
  (func (export "mixed") (param i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))

  (func (export "nothing"))

  ;; Multi-value: returns its two arguments swapped.
  (func (export "pair") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))

  (func (export "trap_unreachable") (unreachable))

  ;; 100 / x, signed: traps with "divide by zero" for x = 0.
  (func (export "trap_div_zero") (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))

  (func (export "spin_forever") (loop $l (br $l)))

  ;; Waits on the never-written word with no timeout; loops so that even a notify cannot end it.
  ;; Only terminating the thread ends it.
  (func (export "wait_forever")
    (loop $l
      (drop (memory.atomic.wait32 (i32.const 65532) (i32.const 0) (i64.const -1)))
      (br $l)))

  ;; Blocks the thread for about ms milliseconds (a wait on the never-written word that times out).
  ;; Nothing is read back after the wait: Node 20's Liftoff clobbers values kept across a wait
  ;; (see liftoff-repro.wat).
  (func (export "sleep_ms") (param i32)
    (drop (memory.atomic.wait32 (i32.const 65532) (i32.const 0)
      (i64.mul (i64.extend_i32_u (local.get 0)) (i64.const 1000000)))))

  (func (export "store_i32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load_i32") (param i32) (result i32) (i32.load (local.get 0)))

  ;; Atomic add; returns the old value.
  (func (export "atomic_add") (param i32 i32) (result i32)
    (i32.atomic.rmw.add (local.get 0) (local.get 1)))
)
