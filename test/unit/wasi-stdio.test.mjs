import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clockid, Errno, Eventrwflags, Eventtype, Fdflags, Layout, WasiHost } from '../../dist/wasi/index.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const decoder = new TextDecoder();

/** An async iterable whose chunks the test pushes when it wants; `end()` finishes it. */
function controlledInput() {
  const queue = [];
  let wake;
  return {
    push(chunk) { queue.push({ chunk }); wake?.(); },
    end() { queue.push({ done: true }); wake?.(); },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length === 0) await new Promise((resolve) => { wake = resolve; });
        const item = queue.shift();
        if (item.done) return;
        yield item.chunk;
      }
    },
  };
}

test('stdin from a string: reads take what is buffered, then end of file is nread 0, all at once', () => {
  const guest = new Guest(new WasiHost({ stdin: 'hello\nworld' }));
  assert.deepEqual(guest.readNow(0, 3), { errno: Errno.SUCCESS, text: 'hel', nread: 3 });
  assert.deepEqual(guest.readNow(0, 100), { errno: Errno.SUCCESS, text: 'lo\nworld', nread: 8 });
  assert.deepEqual(guest.readNow(0, 100), { errno: Errno.SUCCESS, text: '', nread: 0 });
  assert.deepEqual(guest.readNow(0, 100), { errno: Errno.SUCCESS, text: '', nread: 0 });
});

test('stdin from bytes fills several iovecs; no stdin is end of file at once', async () => {
  const guest = new Guest(new WasiHost({ stdin: new TextEncoder().encode('abcdef') }));
  assert.deepEqual(await guest.read(0, 2, 3, 10), { errno: Errno.SUCCESS, text: 'abcdef', nread: 6 });
  const empty = new Guest(new WasiHost({}));
  assert.deepEqual(empty.readNow(0, 10), { errno: Errno.SUCCESS, text: '', nread: 0 });
});

test('stdin from an async iterable: a read with nothing buffered returns a promise that resolves when data comes', async () => {
  const input = controlledInput();
  const guest = new Guest(new WasiHost({ stdin: input }));
  const buffer = guest.alloc(16, 1);
  const [iovs] = guest.iovecs([[buffer, 16]]);
  const nread = guest.alloc(4, 4);
  const pending = guest.call('fd_read', 0, iovs, 1, nread);
  assert.ok(pending instanceof Promise);
  let settled = false;
  pending.then(() => { settled = true; });
  await sleep(20);
  assert.equal(settled, false);
  input.push('later');
  assert.equal(await pending, Errno.SUCCESS);
  assert.equal(guest.text(buffer, guest.u32(nread)), 'later');

  input.push(new TextEncoder().encode('bytes'));
  input.push('more');
  assert.deepEqual(await guest.read(0, 32), { errno: Errno.SUCCESS, text: 'bytes', nread: 5 });
  assert.deepEqual(await guest.read(0, 2), { errno: Errno.SUCCESS, text: 'mo', nread: 2 });
  assert.deepEqual(await guest.read(0, 32), { errno: Errno.SUCCESS, text: 're', nread: 2 });
  const atEnd = guest.read(0, 32);
  input.end();
  assert.deepEqual(await atEnd, { errno: Errno.SUCCESS, text: '', nread: 0 });
});

test('stdin readers waiting at once are served in the order they asked', async () => {
  const input = controlledInput();
  const guest = new Guest(new WasiHost({ stdin: input }));
  const first = guest.read(0, 4);
  const second = guest.read(0, 4);
  input.push('12345678');
  assert.equal((await first).text, '1234');
  assert.equal((await second).text, '5678');
});

test('stdin from a ReadableStream', async () => {
  const stream = new ReadableStream({
    async start(controller) {
      await sleep(5);
      controller.enqueue(new TextEncoder().encode('from a stream'));
      controller.close();
    },
  });
  const guest = new Guest(new WasiHost({ stdin: stream }));
  assert.deepEqual(await guest.read(0, 64), { errno: Errno.SUCCESS, text: 'from a stream', nread: 13 });
  assert.deepEqual(await guest.read(0, 64), { errno: Errno.SUCCESS, text: '', nread: 0 });
});

test('a stdin source that fails gives EIO', async () => {
  const guest = new Guest(new WasiHost({ stdin: (async function* () { throw new Error('broken'); })() }));
  assert.equal((await guest.read(0, 8)).errno, Errno.IO);
});

test('non-blocking stdin answers EAGAIN instead of waiting', () => {
  const guest = new Guest(new WasiHost({ stdin: controlledInput() }));
  assert.equal(guest.call('fd_fdstat_set_flags', 0, Fdflags.NONBLOCK), Errno.SUCCESS);
  const [iovs] = guest.iovecs([[guest.alloc(8, 1), 8]]);
  assert.equal(guest.call('fd_read', 0, iovs, 1, guest.alloc(4, 4)), Errno.AGAIN);
});

test('a prompt without a newline is written out before a read of stdin waits', async () => {
  const input = controlledInput();
  const out = [];
  const guest = new Guest(new WasiHost({ stdin: input, stdout: (bytes) => out.push(decoder.decode(bytes)) }));
  guest.write(1, 'name? ');
  assert.deepEqual(out, []);
  const answer = guest.read(0, 16);
  assert.deepEqual(out, ['name? ']);
  input.push('Ada\n');
  assert.equal((await answer).text, 'Ada\n');
});

/** Writes subscriptions at a fresh address: each { userdata, clock: { id, timeout, abs } } or { userdata, type, fd }. */
function subscribe(guest, subscriptions) {
  const S = Layout.SUBSCRIPTION;
  const base = guest.alloc(subscriptions.length * S.SIZE);
  const view = guest.view;
  subscriptions.forEach((sub, index) => {
    const at = base + index * S.SIZE;
    view.setBigUint64(at + S.USERDATA, sub.userdata, true);
    if (sub.clock) {
      view.setUint8(at + S.TAG, Eventtype.CLOCK);
      view.setUint32(at + S.CLOCK_ID, sub.clock.id, true);
      view.setBigUint64(at + S.CLOCK_TIMEOUT, sub.clock.timeout, true);
      view.setUint16(at + S.CLOCK_FLAGS, sub.clock.abs ? 1 : 0, true);
    } else {
      view.setUint8(at + S.TAG, sub.type);
      view.setUint32(at + S.FD_READWRITE_FILE_DESCRIPTOR, sub.fd, true);
    }
  });
  return base;
}

async function poll(guest, subscriptions) {
  const input = subscribe(guest, subscriptions);
  const out = guest.alloc(subscriptions.length * Layout.EVENT.SIZE);
  const nevents = guest.alloc(4, 4);
  const errno = await guest.call('poll_oneoff', input, out, subscriptions.length, nevents);
  const E = Layout.EVENT;
  const events = Array.from({ length: guest.u32(nevents) }, (_, index) => {
    const at = out + index * E.SIZE;
    return {
      userdata: guest.u64(at + E.USERDATA), error: guest.u16(at + E.ERROR), type: guest.u8(at + E.TYPE),
      nbytes: guest.u64(at + E.FD_READWRITE_NBYTES), flags: guest.u16(at + E.FD_READWRITE_FLAGS),
    };
  });
  return { errno, events };
}

test('poll_oneoff with a 30 ms relative clock resolves after at least 30 ms and writes the event', async () => {
  const guest = new Guest(new WasiHost({}));
  const start = performance.now();
  const pending = poll(guest, [{ userdata: 42n, clock: { id: Clockid.MONOTONIC, timeout: 30_000_000n } }]);
  const { errno, events } = await pending;
  const elapsed = performance.now() - start;
  assert.equal(errno, Errno.SUCCESS);
  assert.ok(elapsed >= 30, `waited ${elapsed} ms`);
  assert.ok(elapsed < 1000, `waited ${elapsed} ms`);
  assert.deepEqual(events, [{ userdata: 42n, error: 0, type: Eventtype.CLOCK, nbytes: 0n, flags: 0 }]);
});

test('poll_oneoff: the earliest of two clocks wins; an absolute monotonic deadline works', async () => {
  const guest = new Guest(new WasiHost({}));
  const now = guest.alloc(8);
  guest.call('clock_time_get', Clockid.MONOTONIC, 0n, now);
  const start = performance.now();
  const { events } = await poll(guest, [
    { userdata: 1n, clock: { id: Clockid.MONOTONIC, timeout: 500_000_000n } },
    { userdata: 2n, clock: { id: Clockid.MONOTONIC, timeout: guest.u64(now) + 15_000_000n, abs: true } },
  ]);
  assert.deepEqual(events.map((event) => event.userdata), [2n]);
  assert.ok(performance.now() - start >= 14.9);
});

test('poll_oneoff: stdin readiness ends a wait before its clock; stdout is ready for writing at once', async () => {
  const input = controlledInput();
  const guest = new Guest(new WasiHost({ stdin: input }));
  const waiting = poll(guest, [
    { userdata: 1n, clock: { id: Clockid.MONOTONIC, timeout: 5_000_000_000n } },
    { userdata: 2n, type: Eventtype.FD_READ, fd: 0 },
  ]);
  await sleep(10);
  input.push('abc');
  const start = performance.now();
  const { events } = await waiting;
  assert.ok(performance.now() - start < 1000);
  assert.deepEqual(events, [{ userdata: 2n, error: 0, type: Eventtype.FD_READ, nbytes: 3n, flags: 0 }]);

  const ready = await poll(guest, [{ userdata: 3n, type: Eventtype.FD_WRITE, fd: 1 }, { userdata: 4n, type: Eventtype.FD_READ, fd: 9 }]);
  assert.deepEqual(ready.events.map((event) => [event.userdata, event.error]), [[3n, 0], [4n, Errno.BADF]]);

  input.end();
  assert.equal((await guest.read(0, 8)).text, 'abc');
  const hangup = await poll(guest, [{ userdata: 5n, type: Eventtype.FD_READ, fd: 0 }]);
  assert.deepEqual(hangup.events, [{ userdata: 5n, error: 0, type: Eventtype.FD_READ, nbytes: 0n, flags: Eventrwflags.FD_READWRITE_HANGUP }]);
});

test('sleeping threads do not burn a core', async () => {
  const guest = new Guest(new WasiHost({}));
  const before = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: 20 }, (_, index) => poll(guest, [{ userdata: BigInt(index), clock: { id: Clockid.MONOTONIC, timeout: 150_000_000n } }])));
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(before);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  assert.ok(wall >= 150);
  assert.ok(cpuMs < wall / 2, `cpu ${cpuMs} ms over ${wall} ms`);
});

test('a process whose program waits on an open process.stdin still exits once the host closes', async () => {
  const { spawn } = await import('node:child_process');
  const script = new URL('../fixtures/wasi/stdin-exit.mjs', import.meta.url);
  const child = spawn(process.execPath, [script.pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  const code = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error('the child did not exit')); }, 5000);
    child.on('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode); });
  });
  assert.equal(code, 0);
  assert.match(output, /settled errno=0 nread=0/);
});
