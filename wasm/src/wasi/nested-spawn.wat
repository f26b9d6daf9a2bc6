;; nested-spawn.wat: threads spawned by threads. Built by scripts/build-wasm.mjs into
;; wasm/wasi/nested-spawn.wasm.
;;
;; _start spawns thread 1 (start_arg 1); thread 1 spawns thread 2 (start_arg 2) and thread 2
;; spawns thread 3 (start_arg 3). Each thread records the tid it was started with, and each
;; spawner records the tid thread-spawn returned to it; every record bumps a counter (atomic add +
;; notify), so there are 6 events. _start waits with memory.atomic.wait32 until the counter
;; reaches 6, checks for k = 1..3 that the tid returned to the spawner equals the tid thread k was
;; started with, that it is positive, and that the three are distinct, prints them, and returns.
;;
;; Expected: stdout "nested spawn ok: tids <t1> <t2> <t3>\n" (e.g. "tids 1 2 3"), nothing on
;; stderr, exit code 0 (by returning from _start; no proc_exit).
;; Failures: a thread-spawn returned <= 0 -> stderr "spawn failed <code>\n", proc_exit(3) (from
;; _start or from a spawned thread); a check failed -> stderr "tid check failed for thread <k>\n",
;; proc_exit(4).
;;
;; The host must: allow thread-spawn from spawned threads (not just from _start), without the
;; spawner waiting for the new thread to start; give tids unique across all threads; memory
;; "env" "memory" (min 1 page, max 16, shared); fd_write, proc_exit; exit 0 when _start returns.
;;
;; Memory map (page 0; only constant strings in data segments): 0x0400 event counter; 0x0410 +
;; 4*(k-1) tid returned to the spawner of thread k; 0x0420 + 4*(k-1) tid thread k was started
;; with; 0x1000 + 0x100*i per-thread areas (i = 0 for _start, k for thread k); 0x8000.. strings.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "memory" (memory 1 16 shared))

  (data (i32.const 0x8000) "nested spawn ok: tids\00")
  (data (i32.const 0x8040) " \00")
  (data (i32.const 0x8080) "spawn failed \00")
  (data (i32.const 0x80c0) "tid check failed for thread \00")
  (data (i32.const 0x8100) "\n\00")

  ;; Spawns thread $k (start_arg $k) on behalf of the thread whose area index is $self, records
  ;; the returned tid and bumps the counter; exits with 3 if thread-spawn fails.
  (func $spawn_level (param $k i32) (param $self i32)
    (local $tid i32)
    (local.set $tid (call $thread_spawn (local.get $k)))
    (if (i32.le_s (local.get $tid) (i32.const 0))
      (then
        (call $say_int (i32.const 2) (i32.const 0x8080) (local.get $tid) (i32.const 0x8100)
          (call $area (local.get $self)))
        (call $proc_exit (i32.const 3))
        (unreachable)))
    (i32.store (i32.add (i32.const 0x040c) (i32.shl (local.get $k) (i32.const 2))) (local.get $tid))
    (drop (call $bump (i32.const 0x0400))))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32)
    (i32.store (i32.add (i32.const 0x041c) (i32.shl (local.get $k) (i32.const 2))) (local.get $tid))
    (drop (call $bump (i32.const 0x0400)))
    (if (i32.lt_u (local.get $k) (i32.const 3))
      (then (call $spawn_level (i32.add (local.get $k) (i32.const 1)) (local.get $k)))))

  (func (export "_start")
    (local $k i32) (local $t i32) (local $j i32) (local $p i32)
    (call $spawn_level (i32.const 1) (i32.const 0))
    (call $wait_until_ge (i32.const 0x0400) (i32.const 6))
    (local.set $k (i32.const 1))
    (loop $check
      (local.set $t (i32.load (i32.add (i32.const 0x040c) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $j (i32.const 1))
      (block $bad
        (br_if $bad (i32.le_s (local.get $t) (i32.const 0)))
        (br_if $bad (i32.ne (local.get $t)
          (i32.load (i32.add (i32.const 0x041c) (i32.shl (local.get $k) (i32.const 2))))))
        (loop $distinct
          (if (i32.ne (local.get $j) (local.get $k))
            (then
              (br_if $bad (i32.eq (local.get $t)
                (i32.load (i32.add (i32.const 0x040c) (i32.shl (local.get $j) (i32.const 2))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $distinct (i32.le_u (local.get $j) (i32.const 3))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $check (i32.le_u (local.get $k) (i32.const 3)))
        ;; All good: "nested spawn ok: tids a b c\n" in one fd_write.
        (local.set $p
          (call $cat (i32.add (call $area (i32.const 0)) (i32.const 16)) (i32.const 0x8000)))
        (local.set $k (i32.const 1))
        (loop $print
          (local.set $p (call $cat (local.get $p) (i32.const 0x8040)))
          (local.set $p (call $cat_int (local.get $p)
            (i32.load (i32.add (i32.const 0x040c) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $print (i32.le_u (local.get $k) (i32.const 3))))
        (local.set $p (call $cat (local.get $p) (i32.const 0x8100)))
        (drop (call $write (i32.const 1) (i32.add (call $area (i32.const 0)) (i32.const 16))
          (local.get $p) (call $area (i32.const 0))))
        (return))
      ;; $bad
      (call $say_int (i32.const 2) (i32.const 0x80c0) (local.get $k) (i32.const 0x8100)
        (call $area (i32.const 0)))
      (call $proc_exit (i32.const 4))
      (unreachable)))

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
