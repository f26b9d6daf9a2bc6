;; Imports a NON-shared memory (with a maximum): weft must refuse it, since workers cannot share it.
(module
  (import "env" "memory" (memory 1 16))
  (func (export "answer") (result i32) (i32.const 42))
)
