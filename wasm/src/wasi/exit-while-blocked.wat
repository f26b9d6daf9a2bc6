;; exit-while-blocked.wat: proc_exit from _start while the other threads are blocked. Built by
;; scripts/build-wasm.mjs into wasm/wasi/exit-while-blocked.wasm.
;;
;; Usage: exit-while-blocked wait|busy|sleep|stdin   (the mode is argv[1], read with
;; args_sizes_get/args_get). _start spawns 3 threads that each bump a "started" counter and then
;; block for ever:
;;   wait   memory.atomic.wait32 with no timeout on a word nobody notifies
;;   busy   an empty infinite loop (no calls, no memory accesses)
;;   sleep  poll_oneoff with one relative monotonic-clock subscription of 1 hour, in a loop
;;   stdin  fd_read on fd 0 in a loop; on end of file or an error it falls back to "wait", so the
;;          result is the same whatever stdin is (give it a pipe that stays open to test a thread
;;          blocked in a read)
;; _start waits until the counter is 3, then 100 ms more (so the threads are really blocked),
;; prints one line and calls proc_exit(7).
;;
;; Expected: stdout "3 threads started (<mode>); proc_exit(7)\n", nothing on stderr, exit code 7,
;; promptly (the 100 ms plus the host's teardown), never a hang.
;; Failures: argv[1] missing or unknown -> stderr
;; "usage: exit-while-blocked wait|busy|sleep|stdin\n", proc_exit(2); thread-spawn returned <= 0
;; -> stderr "spawn failed <code>\n", proc_exit(3).
;;
;; The host must: end the whole program on proc_exit from _start with that code, stopping the
;; other threads wherever they are: in a wait32, in a busy loop (a worker that never returns to its
;; event loop), asleep in poll_oneoff (a sleep should not burn a core), or blocked reading stdin
;; (which must not be a blocking read syscall on the worker, or the worker cannot be stopped);
;; write the stdout line before the process exits; args; memory "env" "memory" (min 1, max 16,
;; shared).
;;
;; Memory map (page 0; only constant strings in data segments): 0x0400 started, 0x0408 mode;
;; 0x0ff0/0x0ff4 args sizes; 0x0ffc a word that stays 0; 0x1000 + 0x100*i per-thread areas
;; (i = 0 _start, 1..3 the blocking threads); 0x8000.. strings; 0xc000.. argv.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "memory" (memory 1 16 shared))

  (data (i32.const 0x8000) "3 threads started (\00")
  (data (i32.const 0x8080) "spawn failed \00")
  (data (i32.const 0x8100) "\n\00")
  ;; Mode names at 0x8200 + 8*(mode-1).
  (data (i32.const 0x8200) "wait\00\00\00\00busy\00\00\00\00sleep\00\00\00stdin\00")
  (data (i32.const 0x8040) "); proc_exit(7)\n\00")
  (data (i32.const 0x8140) "usage: exit-while-blocked wait|busy|sleep|stdin\n\00")

  (func (export "wasi_thread_start") (param $tid i32) (param $i i32)
    (call $block (local.get $tid) (call $area (i32.add (local.get $i) (i32.const 1)))))

  (func (export "_start")
    (call $setup (i32.const 0x8140) (i32.const 3))
    (call $announce (i32.const 0x8040) (call $area (i32.const 0)))
    (call $proc_exit (i32.const 7)))

  ;; ---- argv[1] -> mode, and the blocking threads (same in both *exit-while-blocked programs) ----
  ;; Returns 1 wait, 2 busy, 3 sleep, 4 stdin, or 0 when argv[1] is missing or unknown. argv goes
  ;; to 0xc000.. (pointers, then strings); more than 16 KiB of arguments counts as unknown.
  (func $mode_from_argv (result i32)
    (local $argc i32) (local $size i32) (local $arg i32)
    (if (call $args_sizes_get (i32.const 0x0ff0) (i32.const 0x0ff4)) (then (return (i32.const 0))))
    (local.set $argc (i32.load (i32.const 0x0ff0)))
    (local.set $size (i32.load (i32.const 0x0ff4)))
    (if (i32.or (i32.lt_u (local.get $argc) (i32.const 2))
          (i32.gt_u (i32.add (i32.shl (local.get $argc) (i32.const 2)) (local.get $size))
            (i32.const 0x4000)))
      (then (return (i32.const 0))))
    (if (call $args_get (i32.const 0xc000)
          (i32.add (i32.const 0xc000) (i32.shl (local.get $argc) (i32.const 2))))
      (then (return (i32.const 0))))
    (local.set $arg (i32.load (i32.const 0xc004)))
    (if (call $streq (local.get $arg) (i32.const 0x8200)) (then (return (i32.const 1))))
    (if (call $streq (local.get $arg) (i32.const 0x8208)) (then (return (i32.const 2))))
    (if (call $streq (local.get $arg) (i32.const 0x8210)) (then (return (i32.const 3))))
    (if (call $streq (local.get $arg) (i32.const 0x8218)) (then (return (i32.const 4))))
    (i32.const 0))

  (func $streq (param $a i32) (param $b i32) (result i32)
    (local $c i32)
    (loop $next
      (local.set $c (i32.load8_u (local.get $a)))
      (if (i32.ne (local.get $c) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $next (local.get $c)))
    (i32.const 1))

  ;; Blocking thread: bumps "started" (0x0400), then never returns, blocked the way the mode at
  ;; 0x0408 says. $area: this thread's own area (poll_oneoff subscription and event, read iovec).
  (func $block (param $tid i32) (param $area i32)
    (local $mode i32)
    (local.set $mode (i32.atomic.load (i32.const 0x0408)))
    (drop (call $bump (i32.const 0x0400)))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then (loop $spin (br $spin))))
    (if (i32.eq (local.get $mode) (i32.const 3))
      (then
        ;; One subscription at area+16 (48 bytes): userdata = tid, tag 0 = clock, clock id 1
        ;; (monotonic), timeout 3600 s in ns, precision 0, flags 0 (relative); event at area+64.
        (memory.fill (i32.add (local.get $area) (i32.const 16)) (i32.const 0) (i32.const 80))
        (i64.store offset=16 (local.get $area) (i64.extend_i32_u (local.get $tid)))
        (i32.store offset=32 (local.get $area) (i32.const 1))
        (i64.store offset=40 (local.get $area) (i64.const 3600000000000))
        (loop $sleep
          (drop (call $poll_oneoff (i32.add (local.get $area) (i32.const 16))
            (i32.add (local.get $area) (i32.const 64)) (i32.const 1)
            (i32.add (local.get $area) (i32.const 8))))
          (br $sleep))))
    (if (i32.eq (local.get $mode) (i32.const 4))
      (then
        ;; Read stdin into area+128 (64 bytes) until end of file or an error, then block.
        (i32.store (local.get $area) (i32.add (local.get $area) (i32.const 128)))
        (i32.store offset=4 (local.get $area) (i32.const 64))
        (block $eof
          (loop $read
            (br_if $eof (call $fd_read (i32.const 0) (local.get $area) (i32.const 1)
              (i32.add (local.get $area) (i32.const 8))))
            (br_if $eof (i32.eqz (i32.load offset=8 (local.get $area))))
            (br $read)))))
    (call $block_forever))

  ;; The text for a mode, for the output line.
  (func $mode_name (param $mode i32) (result i32)
    (i32.add (i32.const 0x81f8) (i32.shl (local.get $mode) (i32.const 3))))

  ;; Waits until the 3 blocking threads have started, then 100 ms more (a wait32 with a timeout on
  ;; a word that stays 0) so that they are really blocked, then prints
  ;; "3 threads started (<mode>); <$what>" to stdout with the area $area.
  (func $announce (param $what i32) (param $area i32)
    (local $p i32)
    (call $wait_until_ge (i32.const 0x0400) (i32.const 3))
    (drop (memory.atomic.wait32 (i32.const 0x0ffc) (i32.const 0) (i64.const 100000000)))
    (local.set $p (call $cat (i32.add (local.get $area) (i32.const 16)) (i32.const 0x8000)))
    (local.set $p (call $cat (local.get $p) (call $mode_name (i32.atomic.load (i32.const 0x0408)))))
    (local.set $p (call $cat (local.get $p) (local.get $what)))
    (drop (call $write (i32.const 1) (i32.add (local.get $area) (i32.const 16)) (local.get $p)
      (local.get $area))))

  ;; Parses the mode (or exits with 2 after the usage line $usage), stores it at 0x0408, and
  ;; spawns $n threads with start_arg 0..$n-1 (or exits with 3).
  (func $setup (param $usage i32) (param $n i32)
    (local $mode i32) (local $i i32) (local $t i32)
    (local.set $mode (call $mode_from_argv))
    (if (i32.eqz (local.get $mode))
      (then
        (call $say (i32.const 2) (local.get $usage) (call $area (i32.const 0)))
        (call $proc_exit (i32.const 2))
        (unreachable)))
    (i32.atomic.store (i32.const 0x0408) (local.get $mode))
    (loop $spawn
      (local.set $t (call $thread_spawn (local.get $i)))
      (if (i32.le_s (local.get $t) (i32.const 0))
        (then
          (call $say_int (i32.const 2) (i32.const 0x8080) (local.get $t) (i32.const 0x8100)
            (call $area (i32.const 0)))
          (call $proc_exit (i32.const 3))
          (unreachable)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (local.get $n)))))

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
