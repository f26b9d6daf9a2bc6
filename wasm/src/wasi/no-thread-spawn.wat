;; no-thread-spawn.wat: a plain single-threaded WASI command: no wasi.thread-spawn import, no
;; wasi_thread_start, and its own (exported, unshared) memory instead of an imported shared one.
;; Built by scripts/build-wasm.mjs into wasm/wasi/no-thread-spawn.wasm.
;;
;; Usage: no-thread-spawn [EXIT_CODE]   (argv[1], decimal 0..255, default 0)
;; Prints "hello\n" to stdout, then "no newline" (without a final newline) to stderr, then ends
;; with the exit code: by returning from _start when it is 0, by proc_exit(code) otherwise.
;;
;; Expected: stdout "hello\n", stderr "no newline" (exactly; the host must still write a final
;; line that has no newline), exit code = argv[1] (0 without an argument).
;; Failures: argv[1] not a decimal number in 0..255 -> stderr "usage: no-thread-spawn [EXIT_CODE]\n"
;; (and nothing else), proc_exit(2).
;;
;; The host must: run a module without thread-spawn (one instance, no other threads); use the
;; module's exported "memory" for the WASI calls since it imports none; args; fd_write; proc_exit;
;; exit 0 when _start returns.
;;
;; Memory map (its own page 0; only constant strings in data segments): 0x0ff0/0x0ff4 args sizes;
;; 0x1000 the area for fd_write; 0x8000.. strings; 0xc000.. argv.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  (data (i32.const 0x8000) "hello\n\00")
  (data (i32.const 0x8040) "no newline\00")
  (data (i32.const 0x8080) "usage: no-thread-spawn [EXIT_CODE]\n\00")

  ;; argv[1] as a decimal 0..255; 0 without it; -1 when it is not such a number (or the arguments
  ;; are over 16 KiB).
  (func $exit_code_from_argv (result i32)
    (local $argc i32) (local $size i32) (local $p i32) (local $c i32) (local $v i32)
    (if (call $args_sizes_get (i32.const 0x0ff0) (i32.const 0x0ff4)) (then (return (i32.const -1))))
    (local.set $argc (i32.load (i32.const 0x0ff0)))
    (local.set $size (i32.load (i32.const 0x0ff4)))
    (if (i32.lt_u (local.get $argc) (i32.const 2)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.add (i32.shl (local.get $argc) (i32.const 2)) (local.get $size))
          (i32.const 0x4000))
      (then (return (i32.const -1))))
    (if (call $args_get (i32.const 0xc000)
          (i32.add (i32.const 0xc000) (i32.shl (local.get $argc) (i32.const 2))))
      (then (return (i32.const -1))))
    (local.set $p (i32.load (i32.const 0xc004)))
    (if (i32.eqz (i32.load8_u (local.get $p))) (then (return (i32.const -1))))
    (loop $digit
      (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)))
      (if (i32.gt_u (local.get $c) (i32.const 9)) (then (return (i32.const -1))))
      (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $c)))
      (if (i32.gt_u (local.get $v) (i32.const 255)) (then (return (i32.const -1))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $digit (i32.load8_u (local.get $p))))
    (local.get $v))

  (func (export "_start")
    (local $code i32)
    (local.set $code (call $exit_code_from_argv))
    (if (i32.lt_s (local.get $code) (i32.const 0))
      (then
        (call $say (i32.const 2) (i32.const 0x8080) (call $area (i32.const 0)))
        (call $proc_exit (i32.const 2))
        (unreachable)))
    (call $say (i32.const 1) (i32.const 0x8000) (call $area (i32.const 0)))
    (call $say (i32.const 2) (i32.const 0x8040) (call $area (i32.const 0)))
    (if (local.get $code)
      (then
        (call $proc_exit (local.get $code))
        (unreachable))))

  ;; ---- helpers (as in the other WAT programs here, less the atomics ones) -------------------
  ;; Per-thread areas: 256 bytes at 0x1000 + 0x100*idx (idx 0 = _start, 1.. = spawned threads):
  ;; +0 iovec (ptr, len), +8 nwritten / nread, +16..+255 a line buffer.
  (func $area (param $idx i32) (result i32)
    (i32.add (i32.const 0x1000) (i32.shl (local.get $idx) (i32.const 8))))

  ;; Appends the NUL-terminated string at $src to $dst; returns the new end.
  (func $cat (param $dst i32) (param $src i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (local.set $c (i32.load8_u (local.get $src)))
        (br_if $done (i32.eqz (local.get $c)))
        (i32.store8 (local.get $dst) (local.get $c))
        (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (br $next)))
    (local.get $dst))

  ;; Appends $v as a signed decimal; returns the new end.
  (func $cat_int (param $dst i32) (param $v i32) (result i32)
    (local $u i32) (local $t i32) (local $end i32)
    (local.set $u (local.get $v))
    (if (i32.lt_s (local.get $v) (i32.const 0))
      (then
        (i32.store8 (local.get $dst) (i32.const 0x2d)) ;; '-'
        (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
        (local.set $u (i32.sub (i32.const 0) (local.get $v)))))
    ;; $end = $dst + number of digits
    (local.set $end (i32.add (local.get $dst) (i32.const 1)))
    (local.set $t (local.get $u))
    (block $counted
      (loop $count
        (br_if $counted (i32.lt_u (local.get $t) (i32.const 10)))
        (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
        (local.set $end (i32.add (local.get $end) (i32.const 1)))
        (br $count)))
    (local.set $dst (local.get $end))
    (loop $digit
      (local.set $dst (i32.sub (local.get $dst) (i32.const 1)))
      (i32.store8 (local.get $dst)
        (i32.add (i32.const 0x30) (i32.rem_u (local.get $u) (i32.const 10))))
      (local.set $u (i32.div_u (local.get $u) (i32.const 10)))
      (br_if $digit (local.get $u)))
    (local.get $end))

  ;; Writes [$ptr, $end) to $fd with one fd_write (more only if the host writes partially), using
  ;; the iovec and nwritten of area $area. Returns the WASI errno (0 = success).
  (func $write (param $fd i32) (param $ptr i32) (param $end i32) (param $area i32) (result i32)
    (local $err i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (i32.store (local.get $area) (local.get $ptr))
        (i32.store offset=4 (local.get $area) (i32.sub (local.get $end) (local.get $ptr)))
        (local.set $err
          (call $fd_write (local.get $fd) (local.get $area) (i32.const 1)
            (i32.add (local.get $area) (i32.const 8))))
        (br_if $done (local.get $err))
        (if (i32.eqz (i32.load offset=8 (local.get $area)))
          (then (local.set $err (i32.const 29)) (br $done))) ;; EIO: no progress
        (local.set $ptr (i32.add (local.get $ptr) (i32.load offset=8 (local.get $area))))
        (br $more)))
    (local.get $err))

  ;; Writes the NUL-terminated string $s to $fd as one line buffer (area $area).
  (func $say (param $fd i32) (param $s i32) (param $area i32)
    (drop (call $write (local.get $fd) (i32.add (local.get $area) (i32.const 16))
      (call $cat (i32.add (local.get $area) (i32.const 16)) (local.get $s))
      (local.get $area))))

  ;; Writes "<$s1><$v><$s2>" (two NUL-terminated strings around a decimal) to $fd in one fd_write.
  (func $say_int (param $fd i32) (param $s1 i32) (param $v i32) (param $s2 i32) (param $area i32)
    (local $p i32)
    (local.set $p (call $cat (i32.add (local.get $area) (i32.const 16)) (local.get $s1)))
    (local.set $p (call $cat_int (local.get $p) (local.get $v)))
    (local.set $p (call $cat (local.get $p) (local.get $s2)))
    (drop (call $write (local.get $fd) (i32.add (local.get $area) (i32.const 16)) (local.get $p)
      (local.get $area))))
)
