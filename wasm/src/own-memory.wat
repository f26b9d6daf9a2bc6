;; Defines (and exports) its own shared memory instead of importing one: every instance would get
;; a separate memory, so threads would not share data. weft must refuse it.
(module
  (memory (export "memory") 1 16 shared)
  (func (export "answer") (result i32) (i32.const 42))
)
