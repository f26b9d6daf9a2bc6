;; liftoff-repro.wat: minimal reproducer of a Node 20 V8 bug (V8 11.3, baseline compiler Liftoff):
;; values that Liftoff keeps in registers across a memory.atomic.wait32 / wait64 read back wrong
;; (0, or another value's register) after the wait. Correct threaded code then misbehaves: a
;; loop counter reset to 0 makes a join loop spin forever, a pointer reads as 0, ...
;;
;; repro(addr) must return 1042. addr must point at a word holding 0 (e.g. 0 in a fresh memory):
;; the wait then really waits and times out after 1 ms.
;;
;; What was observed (x64 Linux, worker_threads and the main thread alike, every call, also after
;; thousands of calls: the function does not tier up out of it):
;;   node v20.20.2, default flags  -> 42    ($b lost; with only one such local it reads back 0)
;;   node v20.20.2 --no-liftoff    -> 1042
;;   node v22.23.3                 -> 1042
;; Details found while narrowing it down (Node 20.20.2):
;;   - The values must be computed at run time. `local.set $a (i32.const 42)` survives: Liftoff
;;     tracks such a local as a constant, not in a register. Hence the (addr & 0) | k below.
;;   - It does not need a real wait: a wait that returns "not-equal" at once clobbers too, and so
;;     does one with an infinite timeout (-1) and a non-matching expected value; wait64 as well.
;;     memory.atomic.notify does not clobber.
;;   - Parameters are hit too (a param read after a wait returns 0), and so are values on the
;;     operand stack across the wait.
;;   - With more live values some get spilled to the stack and survive; which ones are lost
;;     depends on register allocation.
(module
  (import "env" "memory" (memory 1 16 shared))
  (func (export "repro") (param $addr i32) (result i32)
    (local $a i32) (local $b i32)
    ;; 42 and 1000, computed from the parameter so Liftoff holds them in registers.
    (local.set $a (i32.or (i32.and (local.get $addr) (i32.const 0)) (i32.const 42)))
    (local.set $b (i32.or (i32.and (local.get $addr) (i32.const 0)) (i32.const 1000)))
    ;; Wait for 1 ms on a word holding 0: returns 2 ("timed-out").
    (drop (memory.atomic.wait32 (local.get $addr) (i32.const 0) (i64.const 1000000)))
    (i32.add (local.get $a) (local.get $b)))
)
