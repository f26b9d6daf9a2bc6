import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../dist/errors/index.js';
import {
  Clockid, Errno, Eventtype, Filetype, Layout, MemoryDirectory, Rights, Subclockflags, WASI_PREVIEW1_NO_RESULT,
  WASI_PREVIEW1_SIGNATURES, WasiHost,
} from '../../dist/wasi/index.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const decoder = new TextDecoder();

test('the signature table lists every preview1 function with its wasm parameter types', () => {
  const names = Object.keys(WASI_PREVIEW1_SIGNATURES);
  assert.equal(names.length, 46);
  for (const name of ['args_get', 'clock_time_get', 'fd_readdir', 'path_open', 'poll_oneoff', 'proc_exit', 'sched_yield', 'random_get', 'sock_shutdown']) {
    assert.ok(names.includes(name), name);
  }
  assert.deepEqual(WASI_PREVIEW1_SIGNATURES.path_open, ['i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i32', 'i32']);
  assert.deepEqual(WASI_PREVIEW1_SIGNATURES.fd_seek, ['i32', 'i64', 'i32', 'i32']);
  assert.deepEqual(WASI_PREVIEW1_SIGNATURES.sched_yield, []);
  assert.ok(Object.isFrozen(WASI_PREVIEW1_SIGNATURES) && Object.isFrozen(WASI_PREVIEW1_SIGNATURES.fd_write));
  assert.deepEqual([...WASI_PREVIEW1_NO_RESULT], ['proc_exit']);
});

test('constants and record layouts match the witx', () => {
  assert.equal(Errno.BADF, 8);
  assert.equal(Errno.NOENT, 44);
  assert.equal(Errno.NOTCAPABLE, 76);
  assert.equal(Errno['2BIG'], 1);
  assert.equal(Rights.SOCK_ACCEPT, 1n << 29n);
  assert.equal(Filetype.SYMBOLIC_LINK, 7);
  assert.deepEqual(
    [Layout.IOVEC.SIZE, Layout.DIRENT.SIZE, Layout.FDSTAT.SIZE, Layout.FILESTAT.SIZE, Layout.PRESTAT.SIZE, Layout.SUBSCRIPTION.SIZE, Layout.EVENT.SIZE],
    [8, 24, 24, 64, 8, 48, 32],
  );
  assert.equal(Layout.SUBSCRIPTION.CLOCK_TIMEOUT, 24);
  assert.equal(Layout.EVENT.FD_READWRITE_NBYTES, 16);
});

test('call refuses what is not a preview1 function, proc_exit, and a wrong argument count', () => {
  const guest = new Guest(new WasiHost({}));
  assert.throws(() => guest.call('thread-spawn', 0), InvalidArgumentError);
  assert.throws(() => guest.call('proc_exit', 0), (error) => error instanceof InvalidArgumentError && /thread runtime/.test(error.message));
  assert.throws(() => guest.call('fd_close'), (error) => error instanceof InvalidArgumentError && /takes an array of 1 argument \(i32\), got 0/.test(error.message));
  assert.equal(guest.call('sched_yield'), Errno.SUCCESS);
  assert.equal(guest.call('proc_raise', 2), Errno.NOSYS);
});

test('args and environ: counts, sizes, pointer arrays and NUL-terminated strings', () => {
  const guest = new Guest(new WasiHost({ args: ['prog', 'a b', 'ünï'], env: { HOME: '/home', EMPTY: '' } }));
  const sizes = guest.alloc(8, 4);
  assert.equal(guest.call('args_sizes_get', sizes, sizes + 4), Errno.SUCCESS);
  assert.equal(guest.u32(sizes), 3);
  const argBytes = 'prog\0a b\0ünï\0';
  assert.equal(guest.u32(sizes + 4), new TextEncoder().encode(argBytes).length);
  const argv = guest.alloc(12, 4);
  const buf = guest.alloc(guest.u32(sizes + 4), 1);
  assert.equal(guest.call('args_get', argv, buf), Errno.SUCCESS);
  assert.equal(guest.u32(argv), buf);
  assert.equal(guest.u32(argv + 4), buf + 5);
  assert.equal(decoder.decode(guest.bytes(buf, guest.u32(sizes + 4))), argBytes);

  assert.equal(guest.call('environ_sizes_get', sizes, sizes + 4), Errno.SUCCESS);
  assert.deepEqual([guest.u32(sizes), guest.u32(sizes + 4)], [2, 'HOME=/home\0EMPTY=\0'.length]);
  const environ = guest.alloc(8, 4);
  const envBuf = guest.alloc(32, 1);
  assert.equal(guest.call('environ_get', environ, envBuf), Errno.SUCCESS);
  assert.equal(guest.text(guest.u32(environ + 4), 6), 'EMPTY=');
  assert.equal(guest.text(envBuf, 10), 'HOME=/home');
});

test('clocks increase and have a sane resolution; thread CPU time is EINVAL', async () => {
  const guest = new Guest(new WasiHost({}));
  const out = guest.alloc(8);
  const time = (id) => {
    assert.equal(guest.call('clock_time_get', id, 0n, out), Errno.SUCCESS);
    return guest.u64(out);
  };
  for (const id of [Clockid.REALTIME, Clockid.MONOTONIC, Clockid.PROCESS_CPUTIME_ID]) {
    assert.equal(guest.call('clock_res_get', id, out), Errno.SUCCESS);
    assert.ok(guest.u64(out) > 0n && guest.u64(out) <= 1_000_000n, `resolution of clock ${id}`);
  }
  const wall = time(Clockid.REALTIME);
  assert.ok(Math.abs(Number(wall / 1_000_000n) - Date.now()) < 1000, 'realtime is near Date.now()');
  const start = time(Clockid.MONOTONIC);
  const cpuStart = time(Clockid.PROCESS_CPUTIME_ID);
  const until = Date.now() + 20;
  while (Date.now() < until);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(time(Clockid.MONOTONIC) - start >= 20_000_000n);
  assert.ok(time(Clockid.PROCESS_CPUTIME_ID) > cpuStart);
  assert.ok(time(Clockid.REALTIME) > wall);
  assert.equal(guest.call('clock_time_get', Clockid.THREAD_CPUTIME_ID, 0n, out), Errno.INVAL);
  assert.equal(guest.call('clock_res_get', 9, out), Errno.INVAL);
});

test('random_get fills a buffer larger than one getRandomValues chunk', () => {
  const memory = new WebAssembly.Memory({ initial: 8, maximum: 16, shared: true });
  const guest = new Guest(new WasiHost({}), memory);
  const length = 200_000;
  const pointer = guest.alloc(length);
  assert.equal(guest.call('random_get', pointer, length), Errno.SUCCESS);
  const bytes = guest.bytes(pointer, length);
  for (let start = 0; start < length; start += 4096) {
    assert.ok(bytes.subarray(start, start + 4096).some((byte) => byte !== 0), `block at ${start} was filled`);
  }
  assert.equal(guest.call('random_get', 65536 * 16 - 4, 8), Errno.FAULT);
});

test('fd_write to stdout keeps order across iovecs and calls; a final partial line comes out on flush', () => {
  const chunks = [];
  const host = new WasiHost({ stdout: (bytes) => chunks.push(decoder.decode(bytes)) });
  const guest = new Guest(host);
  assert.deepEqual(guest.write(1, 'one ', 'two\nthr', 'ee'), { errno: Errno.SUCCESS, nwritten: 13 });
  assert.deepEqual(chunks, ['one two\n']);
  assert.deepEqual(guest.write(1, '\nfour\nfive'), { errno: Errno.SUCCESS, nwritten: 10 });
  assert.deepEqual(chunks, ['one two\n', 'three\nfour\n']);
  host.flush();
  assert.deepEqual(chunks, ['one two\n', 'three\nfour\n', 'five']);
  host.flush();
  assert.equal(chunks.length, 3);
});

test('stdout and stderr keep the order in which the program wrote them', () => {
  const log = [];
  const host = new WasiHost({
    stdout: (bytes) => log.push(`out:${decoder.decode(bytes)}`),
    stderr: (bytes) => log.push(`err:${decoder.decode(bytes)}`),
  });
  const guest = new Guest(host);
  guest.write(1, 'progress... ');
  guest.write(2, 'warning\n');
  guest.write(1, 'done\n');
  assert.deepEqual(log, ['out:progress... ', 'err:warning\n', 'out:done\n']);
});

test('a zero nwritten pointer is a valid address', () => {
  const out = [];
  const guest = new Guest(new WasiHost({ stdout: (bytes) => out.push(decoder.decode(bytes)) }));
  const [iovs] = guest.iovecs([guest.put('hi\n')]);
  assert.equal(guest.call('fd_write', 1, iovs, 1, 0), Errno.SUCCESS);
  assert.equal(guest.u32(0), 3);
  assert.deepEqual(out, ['hi\n']);
});

test('pointers past the end of memory are EFAULT, and the memory may grow between calls', () => {
  const guest = new Guest(new WasiHost({ args: ['x'] }));
  const end = guest.memory.buffer.byteLength;
  assert.equal(guest.call('args_sizes_get', end - 2, 0), Errno.FAULT);
  guest.memory.grow(1);
  assert.equal(guest.call('args_sizes_get', end, end + 4), Errno.SUCCESS);
  assert.equal(guest.u32(end), 1);
});

test('stdio fds: not terminals unless told (filetype unknown), character devices where they are; no seek', () => {
  const stdioTypes = (terminal) => {
    const guest = new Guest(new WasiHost(terminal === undefined ? {} : { terminal }));
    const out = guest.alloc(24);
    return [0, 1, 2].map((fd) => {
      assert.equal(guest.call('fd_fdstat_get', fd, out), Errno.SUCCESS);
      assert.equal(guest.u64(out + 8) & (Rights.FD_SEEK | Rights.FD_TELL), 0n);
      return guest.u8(out);
    });
  };
  // Why it matters: wasi-libc's isatty() is "a character device without seek or tell rights", and
  // it line-buffers stdout only for a terminal, as a C library does on a pipe.
  assert.deepEqual(stdioTypes(undefined), [Filetype.UNKNOWN, Filetype.UNKNOWN, Filetype.UNKNOWN]);
  assert.deepEqual(stdioTypes({ stdout: true }), [Filetype.UNKNOWN, Filetype.CHARACTER_DEVICE, Filetype.UNKNOWN]);
  assert.deepEqual(stdioTypes({ stdin: true, stdout: true, stderr: true }), [Filetype.CHARACTER_DEVICE, Filetype.CHARACTER_DEVICE, Filetype.CHARACTER_DEVICE]);
});

test('preopens from 3 with their names', () => {
  const guest = new Guest(new WasiHost({ preopens: { '/data': MemoryDirectory.from(), '.': MemoryDirectory.from() } }));
  const out = guest.alloc(24);
  assert.equal(guest.seek(1, 0, 0).errno, Errno.SPIPE);
  assert.equal(guest.call('fd_prestat_get', 3, out), Errno.SUCCESS);
  assert.deepEqual([guest.u8(out), guest.u32(out + 4)], [0, 5]);
  assert.equal(guest.call('fd_prestat_dir_name', 3, out, 5), Errno.SUCCESS);
  assert.equal(guest.text(out, 5), '/data');
  assert.equal(guest.call('fd_prestat_dir_name', 3, out, 4), Errno.NAMETOOLONG);
  assert.equal(guest.call('fd_prestat_get', 4, out), Errno.SUCCESS);
  assert.equal(guest.u32(out + 4), 1);
  assert.equal(guest.call('fd_prestat_get', 5, out), Errno.BADF);
  assert.equal(guest.call('fd_prestat_get', 1, out), Errno.BADF);
  assert.equal(guest.call('fd_fdstat_get', 3, out), Errno.SUCCESS);
  assert.equal(guest.u8(out), Filetype.DIRECTORY);
});

test('sockets: EBADF for a closed fd, ENOTSOCK for any open one', () => {
  const guest = new Guest(new WasiHost({}));
  assert.equal(guest.call('sock_accept', 9, 0, 0), Errno.BADF);
  assert.equal(guest.call('sock_accept', 1, 0, 0), Errno.NOTSOCK);
  assert.equal(guest.call('sock_recv', 0, 0, 0, 0, 0, 0), Errno.NOTSOCK);
  assert.equal(guest.call('sock_send', 1, 0, 0, 0, 0), Errno.NOTSOCK);
  assert.equal(guest.call('sock_shutdown', 2, 3), Errno.NOTSOCK);
});

test('fd_close, fd_renumber and EBADF on a closed fd', () => {
  const out = [];
  const guest = new Guest(new WasiHost({ stdout: (bytes) => out.push(decoder.decode(bytes)), stderr: () => {} }));
  assert.equal(guest.call('fd_renumber', 1, 2), Errno.SUCCESS);
  assert.equal(guest.write(1, 'x\n').errno, Errno.BADF);
  assert.equal(guest.write(2, 'to stdout\n').errno, Errno.SUCCESS);
  assert.deepEqual(out, ['to stdout\n']);
  assert.equal(guest.call('fd_close', 2), Errno.SUCCESS);
  assert.equal(guest.call('fd_close', 2), Errno.BADF);
  assert.equal(guest.call('fd_renumber', 0, 7), Errno.BADF);
});

test('poll_oneoff with no subscriptions is EINVAL; an expired absolute clock answers at once', () => {
  const guest = new Guest(new WasiHost({}));
  const subs = guest.alloc(48);
  const events = guest.alloc(32);
  const nevents = guest.alloc(4, 4);
  assert.equal(guest.call('poll_oneoff', subs, events, 0, nevents), Errno.INVAL);
  const view = guest.view;
  view.setBigUint64(subs, 7n, true);
  view.setUint8(subs + 8, Eventtype.CLOCK);
  view.setUint32(subs + 16, Clockid.REALTIME, true);
  view.setBigUint64(subs + 24, 1n, true);
  view.setUint16(subs + 40, Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME, true);
  assert.equal(guest.call('poll_oneoff', subs, events, 1, nevents), Errno.SUCCESS);
  assert.equal(guest.u32(nevents), 1);
  assert.equal(guest.u64(events), 7n);
});

test('close() settles waiting calls and later calls answer ECANCELED', async () => {
  const host = new WasiHost({ stdin: (async function* () { await new Promise(() => {}); })() });
  const guest = new Guest(host);
  const pending = guest.read(0, 8);
  host.close();
  const result = await pending;
  assert.deepEqual([result.errno, result.nread], [Errno.SUCCESS, 0]);
  assert.equal(guest.call('fd_close', 1), Errno.CANCELED);
});
