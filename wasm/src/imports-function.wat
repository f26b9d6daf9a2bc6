;; Imports shared memory and also a function env.log: weft must report the import it cannot
;; provide (or, if it supports imports, call it).
(module
  (import "env" "memory" (memory 1 16 shared))
  (import "env" "log" (func $log (param i32)))
  (func (export "call_log") (param i32) (call $log (local.get 0)))
  (func (export "answer") (result i32) (i32.const 42))
)
