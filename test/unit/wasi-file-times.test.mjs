// Nanosecond file times: what a guest sets is what it reads back while the file is unchanged,
// even on a host whose calls keep microseconds (Node's utimes/futimes/lutimes), and the host's
// own time wins again once it moves.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Errno, Fstflags, MemoryDirectory, WasiHost } from '../../dist/wasi/index.js';
import { KeptTimes } from '../../dist/wasi/fs/kept-times.js';
import { NodeDirectory } from '../../dist/wasi/node.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const base = mkdtempSync(join(tmpdir(), 'weft-times-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** Times with digits below the microsecond, as wasi-testsuite's Rust tests set them. */
const ATIM = 1_700_000_000_123_456_789n;
const MTIM = 1_600_000_000_987_654_321n;
const NO_FOLLOW = 0;

const backends = {
  NodeDirectory: () => {
    const root = mkdtempSync(join(base, 'case-'));
    return { directory: new NodeDirectory(root), root };
  },
  MemoryDirectory: () => ({ directory: MemoryDirectory.from({}), root: undefined }),
};

function setup(makeRoot) {
  const { directory, root } = makeRoot();
  return { guest: new Guest(new WasiHost({ preopens: { '/work': directory } })), dir: 3, root };
}

for (const [name, makeRoot] of Object.entries(backends)) {
  test(`${name}: times set in nanoseconds read back exactly through the path, the fd and a hard link`, () => {
    const { guest, dir, root } = setup(makeRoot);
    const fd = guest.create(dir, 'file');
    assert.equal(guest.path('path_filestat_set_times', dir, NO_FOLLOW, 'file', ATIM, MTIM, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
    for (const stat of [guest.statPath(dir, 'file').stat, guest.statFd(fd).stat]) assert.deepEqual([stat.atim, stat.mtim], [ATIM, MTIM]);
    assert.equal(guest.path('path_link', dir, 0, 'file', dir, 'other-name'), Errno.SUCCESS);
    const linked = guest.statPath(dir, 'other-name').stat;
    assert.deepEqual([linked.atim, linked.mtim], [ATIM, MTIM]);
    if (root !== undefined) {
      // The host kept fewer digits (this is what the rule is for), but the same microseconds.
      const host = lstatSync(join(root, 'file'), { bigint: true });
      assert.equal(host.mtimeNs / 1000n, MTIM / 1000n);
    }

    // fd_filestat_set_times, one time at a time: the other stays as the guest last saw it.
    const mtim = MTIM + 1_111n;
    assert.equal(guest.call('fd_filestat_set_times', fd, 0n, mtim, Fstflags.MTIM), Errno.SUCCESS);
    const after = guest.statPath(dir, 'file').stat;
    assert.deepEqual([after.atim, after.mtim], [ATIM, mtim]);
  });

  test(`${name}: a time the guest did not set keeps its nanoseconds when the other one is set`, () => {
    const { guest, dir } = setup(makeRoot);
    guest.create(dir, 'file');
    const before = guest.statPath(dir, 'file').stat;
    // wasi-testsuite's path_filestat: mtim - 100 ns, then read back.
    const mtim = before.mtim - 100n;
    assert.equal(guest.path('path_filestat_set_times', dir, NO_FOLLOW, 'file', 0n, mtim, Fstflags.MTIM), Errno.SUCCESS);
    const after = guest.statPath(dir, 'file').stat;
    assert.deepEqual([after.atim, after.mtim], [before.atim, mtim]);
    // A call refused with EINVAL changes nothing.
    assert.equal(guest.path('path_filestat_set_times', dir, NO_FOLLOW, 'file', 0n, 5n, Fstflags.MTIM | Fstflags.MTIM_NOW), Errno.INVAL);
    assert.equal(guest.statPath(dir, 'file').stat.mtim, mtim);
  });

  test(`${name}: once the file is written, its modification time is the host's again`, () => {
    const { guest, dir, root } = setup(makeRoot);
    const fd = guest.create(dir, 'file');
    assert.equal(guest.call('fd_filestat_set_times', fd, ATIM, MTIM, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
    guest.write(fd, 'changed');
    const stat = guest.statFd(fd).stat;
    assert.notEqual(stat.mtim, MTIM);
    assert.ok(stat.mtim > 1_700_000_000_000_000_000n, 'now, not the time set before the write');
    if (root !== undefined) assert.equal(stat.mtim, lstatSync(join(root, 'file'), { bigint: true }).mtimeNs);
  });

  test(`${name}: a symbolic link and a directory keep the nanoseconds set on them`, () => {
    const { guest, dir } = setup(makeRoot);
    assert.equal(guest.path('path_symlink', 'nowhere', dir, 'link'), Errno.SUCCESS);
    assert.equal(guest.path('path_filestat_set_times', dir, NO_FOLLOW, 'link', ATIM, MTIM, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
    const link = guest.statPath(dir, 'link', false).stat;
    assert.deepEqual([link.atim, link.mtim], [ATIM, MTIM]);
    assert.equal(guest.path('path_create_directory', dir, 'sub'), Errno.SUCCESS);
    const sub = guest.open(dir, 'sub', { rights: 0x3fffffffn & ~(1n << 6n) } /* no FD_WRITE */);
    assert.equal(guest.call('fd_filestat_set_times', sub.fd, ATIM, MTIM, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
    const stat = guest.statPath(dir, 'sub').stat;
    assert.deepEqual([stat.atim, stat.mtim], [ATIM, MTIM]);
  });
}

test('NodeDirectory: a time changed on the host by another process is the host\'s', () => {
  const { guest, dir, root } = setup(backends.NodeDirectory);
  guest.create(dir, 'file');
  assert.equal(guest.path('path_filestat_set_times', dir, NO_FOLLOW, 'file', ATIM, MTIM, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  utimesSync(join(root, 'file'), 1_234_567_890, 1_234_567_890);
  const stat = guest.statPath(dir, 'file').stat;
  assert.deepEqual([stat.atim, stat.mtim], [1_234_567_890_000_000_000n, 1_234_567_890_000_000_000n]);
});

test('NodeDirectory: a new file in place of an old one does not inherit its times', () => {
  const { guest, dir, root } = setup(backends.NodeDirectory);
  guest.create(dir, 'file');
  assert.equal(guest.path('path_filestat_set_times', dir, NO_FOLLOW, 'file', ATIM, MTIM, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  assert.equal(guest.path('path_unlink_file', dir, 'file'), Errno.SUCCESS);
  writeFileSync(join(root, 'file'), 'new');
  const stat = guest.statPath(dir, 'file').stat;
  assert.equal(stat.mtim, lstatSync(join(root, 'file'), { bigint: true }).mtimeNs);
});

test('KeptTimes: the rule, against a host that keeps microseconds', () => {
  const files = new Map(); // ino -> { atim, mtim } as the host keeps them
  const stat = (ino) => ({ filetype: 4, dev: 1n, ino, nlink: 1n, size: 0n, ctim: 0n, ...files.get(ino) });
  const micro = (ns) => (ns / 1000n) * 1000n;
  const kept = new KeptTimes();
  const set = (ino, times) => kept.set(times, () => stat(ino), (atim, mtim) => files.set(ino, { atim: micro(atim), mtim: micro(mtim) }));

  files.set(1n, { atim: 5_000_000_123n, mtim: 6_000_000_456n });
  set(1n, { mtim: MTIM });
  assert.deepEqual([kept.view(stat(1n)).atim, kept.view(stat(1n)).mtim], [5_000_000_123n, MTIM], 'the time not set keeps its nanoseconds');
  files.set(1n, { ...files.get(1n), mtim: 7_000_000_000n }); // the host's time moves
  assert.deepEqual([kept.view(stat(1n)).atim, kept.view(stat(1n)).mtim], [5_000_000_123n, 7_000_000_000n]);

  set(2n, { atim: 8_000_000_000n, mtim: 9_000_000_000n });
  const exact = stat(2n);
  assert.equal(kept.view(exact), exact, 'times the host keeps exactly are not recorded');
  assert.deepEqual(kept.view({ ...stat(2n), ino: 0n }), { ...stat(2n), ino: 0n }, 'no identity, nothing kept');

  assert.equal(kept.view(stat(1n)).atim, 5_000_000_123n, 'file 1 is remembered');
  for (let ino = 10n; ino < 10n + 4095n; ino++) {
    files.set(ino, { atim: 0n, mtim: 0n });
    set(ino, { mtim: MTIM });
  }
  assert.equal(kept.view(stat(1n)).atim, 5_000_000_123n, '4096 files are remembered');
  files.set(5000n, { atim: 0n, mtim: 0n });
  set(5000n, { mtim: MTIM }); // one more: the oldest record goes
  assert.equal(kept.view(stat(1n)).atim, 5_000_000_000n);
  assert.equal(kept.view(stat(10n)).mtim, MTIM);
  assert.equal(kept.view(stat(5000n)).mtim, MTIM);
});
