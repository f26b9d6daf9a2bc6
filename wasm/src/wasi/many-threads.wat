;; many-threads.wat: 48 threads alive at once. Built by scripts/build-wasm.mjs into
;; wasm/wasi/many-threads.wasm.
;;
;; _start spawns 48 threads (start_arg i = 0..47) and records the tid thread-spawn returns for
;; each. Thread i records the tid it was started with, bumps a "started" counter and then waits
;; (memory.atomic.wait32) until all 48 have started (a barrier: no thread can finish before the
;; last one has started, so all 48 are alive at the same time), then bumps a "done" counter.
;; _start waits for done = 48, checks that every tid is positive, equal to what the thread was
;; started with, and different from the other 47, prints one line and returns.
;;
;; Expected: stdout "48 threads, unique tids\n", nothing on stderr, exit code 0 (by returning
;; from _start; no proc_exit).
;; Failures: thread-spawn returned <= 0 (e.g. the host's thread limit is below 48) -> stderr
;; "spawn failed <code>\n" and proc_exit(3), while the threads already spawned are blocked in the
;; barrier; a check failed -> stderr "tid check failed for thread <i>\n", proc_exit(4).
;;
;; The host must: run 48 spawned threads at once besides _start's (49 in all); never make a spawn
;; wait for a thread to finish (a host that queues spawns beyond its worker count deadlocks here);
;; memory "env" "memory" (min 1 page, max 16, shared); fd_write, proc_exit; exit 0 when _start
;; returns.
;;
;; Memory map (page 0; only constant strings in data segments): 0x0400 started, 0x0404 done;
;; 0x0500 + 4*i tid thread i was started with; 0x0600 + 4*i tid returned for thread i;
;; 0x1000 per-thread area of _start; 0x8000.. strings.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "memory" (memory 1 16 shared))

  (global $n i32 (i32.const 48))

  (data (i32.const 0x8000) "48 threads, unique tids\n\00")
  (data (i32.const 0x8080) "spawn failed \00")
  (data (i32.const 0x80c0) "tid check failed for thread \00")
  (data (i32.const 0x8100) "\n\00")

  (func (export "wasi_thread_start") (param $tid i32) (param $i i32)
    (i32.store (i32.add (i32.const 0x0500) (i32.shl (local.get $i) (i32.const 2))) (local.get $tid))
    (drop (call $bump (i32.const 0x0400)))
    (call $wait_until_ge (i32.const 0x0400) (global.get $n))
    (drop (call $bump (i32.const 0x0404))))

  (func (export "_start")
    (local $i i32) (local $j i32) (local $t i32)
    (loop $spawn
      (local.set $t (call $thread_spawn (local.get $i)))
      (if (i32.le_s (local.get $t) (i32.const 0))
        (then
          (call $say_int (i32.const 2) (i32.const 0x8080) (local.get $t) (i32.const 0x8100)
            (call $area (i32.const 0)))
          (call $proc_exit (i32.const 3))
          (unreachable)))
      (i32.store (i32.add (i32.const 0x0600) (i32.shl (local.get $i) (i32.const 2))) (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (global.get $n))))
    (call $wait_until_ge (i32.const 0x0404) (global.get $n))
    (local.set $i (i32.const 0))
    (loop $check
      (local.set $t (i32.load (i32.add (i32.const 0x0600) (i32.shl (local.get $i) (i32.const 2)))))
      (block $ok
        (block $bad
          (br_if $bad (i32.le_s (local.get $t) (i32.const 0)))
          (br_if $bad (i32.ne (local.get $t)
            (i32.load (i32.add (i32.const 0x0500) (i32.shl (local.get $i) (i32.const 2))))))
          (local.set $j (i32.const 0))
          (block $unique
            (loop $others
              (br_if $unique (i32.ge_u (local.get $j) (local.get $i)))
              (br_if $bad (i32.eq (local.get $t)
                (i32.load (i32.add (i32.const 0x0600) (i32.shl (local.get $j) (i32.const 2))))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $others)))
          (br $ok))
        (call $say_int (i32.const 2) (i32.const 0x80c0) (local.get $i) (i32.const 0x8100)
          (call $area (i32.const 0)))
        (call $proc_exit (i32.const 4))
        (unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $check (i32.lt_u (local.get $i) (global.get $n))))
    (call $say (i32.const 1) (i32.const 0x8000) (call $area (i32.const 0))))

  ;; ---- helpers (the same in every WAT program of wasm/src/wasi/) ------------------------------
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

  ;; Blocks until the i32 at $addr is >= $target (writers only increase it, and notify).
  (func $wait_until_ge (param $addr i32) (param $target i32)
    (local $v i32)
    (loop $again
      (local.set $v (i32.atomic.load (local.get $addr)))
      (if (i32.lt_s (local.get $v) (local.get $target))
        (then
          (drop (memory.atomic.wait32 (local.get $addr) (local.get $v) (i64.const -1)))
          (br $again)))))

  ;; Adds 1 to the i32 at $addr and wakes every waiter on it; returns the new value.
  (func $bump (param $addr i32) (result i32)
    (local $new i32)
    (local.set $new (i32.add (i32.atomic.rmw.add (local.get $addr) (i32.const 1)) (i32.const 1)))
    (drop (memory.atomic.notify (local.get $addr) (i32.const -1)))
    (local.get $new))

  ;; Blocks forever: waits on a word nobody writes or notifies (0x0ffc, always 0).
  (func $block_forever
    (loop $forever
      (drop (memory.atomic.wait32 (i32.const 0x0ffc) (i32.const 0) (i64.const -1)))
      (br $forever)))
)
