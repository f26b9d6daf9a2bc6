// Rights are capabilities: a directory fd's base rights gate every call made through it, and its
// inheriting rights bound what the fds opened from it may do. Each check removes one right and
// sees the call refused with ENOTCAPABLE and nothing changed, then sees the same call succeed
// with the right, so that a host that ignored that right would fail here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Errno, Fstflags, Layout, MemoryDirectory, Oflags, Rights, WasiHost } from '../../dist/wasi/index.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const PREOPEN = 3;
const ALL_RIGHTS = (1n << 30n) - 1n;

/** A preopen holding a.txt ("data"), an empty directory d and a symbolic link to a.txt. */
function setup() {
  const directory = MemoryDirectory.from({ 'a.txt': 'data', d: {} });
  directory.createSymlink('link', 'a.txt');
  const guest = new Guest(new WasiHost({ preopens: { '/work': directory } }));
  return { guest, directory };
}

function fdstat(guest, fd) {
  const out = guest.alloc(Layout.FDSTAT.SIZE);
  assert.equal(guest.call('fd_fdstat_get', fd, out), Errno.SUCCESS);
  return { base: guest.u64(out + Layout.FDSTAT.FS_RIGHTS_BASE), inheriting: guest.u64(out + Layout.FDSTAT.FS_RIGHTS_INHERITING) };
}

/** Opens the preopen again as a directory fd with base rights `base` and inheriting rights `inheriting`. */
function openDirectory(guest, { base, inheriting }) {
  const { errno, fd } = guest.open(PREOPEN, '.', { oflags: Oflags.DIRECTORY, rights: base, inheriting });
  assert.equal(errno, Errno.SUCCESS);
  assert.deepEqual(fdstat(guest, fd), { base, inheriting }, 'the rights asked for');
  return fd;
}

test('path_open asking for FD_WRITE from a directory whose inheriting rights lack it is ENOTCAPABLE', () => {
  const { guest, directory } = setup();
  const full = fdstat(guest, PREOPEN);
  const readOnly = openDirectory(guest, { base: full.base, inheriting: full.inheriting & ~Rights.FD_WRITE });
  const readWrite = Rights.FD_READ | Rights.FD_WRITE;

  assert.equal(guest.open(readOnly, 'a.txt', { rights: readWrite, inheriting: 0n }).errno, Errno.NOTCAPABLE);
  assert.equal(guest.open(readOnly, 'new.txt', { oflags: Oflags.CREAT, rights: readWrite, inheriting: 0n }).errno, Errno.NOTCAPABLE);
  assert.equal(directory.lookup('new.txt'), undefined, 'nothing created');

  // What it may have: read, never write, and no way to add the right afterwards.
  const file = guest.open(readOnly, 'a.txt', { rights: Rights.FD_READ, inheriting: 0n });
  assert.equal(file.errno, Errno.SUCCESS);
  assert.equal(fdstat(guest, file.fd).base & Rights.FD_WRITE, 0n);
  assert.equal(guest.write(file.fd, 'x').errno, Errno.BADF);
  assert.equal(guest.call('fd_fdstat_set_rights', file.fd, Rights.FD_READ | Rights.FD_WRITE, 0n), Errno.NOTCAPABLE);
  assert.equal(guest.readNow(file.fd, 10).text, 'data', 'the file is unchanged');

  // A directory opened from it inherits the restriction, whatever it asks for.
  const nested = guest.open(readOnly, 'd', { oflags: Oflags.DIRECTORY, rights: full.base, inheriting: ALL_RIGHTS });
  assert.equal(nested.errno, Errno.SUCCESS);
  assert.equal(fdstat(guest, nested.fd).inheriting & Rights.FD_WRITE, 0n);
  assert.equal(guest.open(nested.fd, 'n.txt', { oflags: Oflags.CREAT, rights: readWrite, inheriting: 0n }).errno, Errno.NOTCAPABLE);

  // The same calls through a directory that may hand FD_WRITE on.
  const writable = guest.open(PREOPEN, 'a.txt', { rights: readWrite, inheriting: 0n });
  assert.equal(writable.errno, Errno.SUCCESS);
  assert.equal(guest.write(writable.fd, 'DATA').errno, Errno.SUCCESS);
});

test('fd_fdstat_set_rights can take inheriting rights away from a preopen, never give them back', () => {
  const { guest } = setup();
  const full = fdstat(guest, PREOPEN);
  assert.equal(guest.call('fd_fdstat_set_rights', PREOPEN, full.base, full.inheriting & ~Rights.FD_WRITE), Errno.SUCCESS);
  assert.equal(guest.open(PREOPEN, 'a.txt', { rights: Rights.FD_READ | Rights.FD_WRITE, inheriting: 0n }).errno, Errno.NOTCAPABLE);
  assert.equal(guest.call('fd_fdstat_set_rights', PREOPEN, full.base, full.inheriting), Errno.NOTCAPABLE);
});

/** Each directory right the host enforces: the call that needs it, and what the call must not have done when refused. */
const directoryRights = {
  PATH_CREATE_DIRECTORY: {
    call: (guest, fd) => guest.path('path_create_directory', fd, 'new'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('new'), undefined),
  },
  PATH_CREATE_FILE: {
    call: (guest, fd) => guest.open(fd, 'new.txt', { oflags: Oflags.CREAT, rights: Rights.FD_READ, inheriting: 0n }).errno,
    unchanged: ({ directory }) => assert.equal(directory.lookup('new.txt'), undefined),
  },
  PATH_OPEN: {
    call: (guest, fd) => guest.open(fd, 'a.txt', { rights: Rights.FD_READ, inheriting: 0n }).errno,
  },
  PATH_FILESTAT_SET_SIZE: {
    call: (guest, fd) => guest.open(fd, 'a.txt', { oflags: Oflags.TRUNC, rights: Rights.FD_READ, inheriting: 0n }).errno,
    unchanged: ({ directory }) => assert.equal(directory.readTextFile('a.txt'), 'data'),
  },
  PATH_FILESTAT_GET: {
    call: (guest, fd) => guest.statPath(fd, 'a.txt').errno,
  },
  PATH_FILESTAT_SET_TIMES: {
    call: (guest, fd) => guest.path('path_filestat_set_times', fd, 0, 'a.txt', 5n, 5n, Fstflags.ATIM | Fstflags.MTIM),
    unchanged: ({ directory }) => assert.notEqual(directory.lookup('a.txt').stat().mtim, 5n),
  },
  PATH_READLINK: {
    call: (guest, fd) => guest.path('path_readlink', fd, 'link', guest.alloc(16, 1), 16, guest.alloc(4, 4)),
  },
  PATH_SYMLINK: {
    call: (guest, fd) => guest.path('path_symlink', 'a.txt', fd, 'new-link'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('new-link'), undefined),
  },
  PATH_LINK_SOURCE: {
    call: (guest, fd, other) => guest.path('path_link', fd, 0, 'a.txt', other, 'hard'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('hard'), undefined),
  },
  PATH_LINK_TARGET: {
    call: (guest, fd, other) => guest.path('path_link', other, 0, 'a.txt', fd, 'hard'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('hard'), undefined),
  },
  PATH_RENAME_SOURCE: {
    call: (guest, fd, other) => guest.path('path_rename', fd, 'a.txt', other, 'b.txt'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('b.txt'), undefined),
  },
  PATH_RENAME_TARGET: {
    call: (guest, fd, other) => guest.path('path_rename', other, 'a.txt', fd, 'b.txt'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('b.txt'), undefined),
  },
  PATH_REMOVE_DIRECTORY: {
    call: (guest, fd) => guest.path('path_remove_directory', fd, 'd'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('d')?.kind, 'directory'),
  },
  PATH_UNLINK_FILE: {
    call: (guest, fd) => guest.path('path_unlink_file', fd, 'a.txt'),
    unchanged: ({ directory }) => assert.equal(directory.lookup('a.txt')?.kind, 'file'),
  },
  FD_READDIR: {
    call: (guest, fd) => guest.call('fd_readdir', fd, guest.alloc(256, 8), 256, 0n, guest.alloc(4, 4)),
  },
};

for (const [name, { call, unchanged }] of Object.entries(directoryRights)) {
  test(`a directory fd without ${name} is refused that call with ENOTCAPABLE; with it the call succeeds`, () => {
    const right = Rights[name];
    const refused = setup();
    const full = fdstat(refused.guest, PREOPEN);
    assert.notEqual(full.base & right, 0n, `a preopen has ${name}`);
    const other = openDirectory(refused.guest, full);
    const without = openDirectory(refused.guest, { base: full.base & ~right, inheriting: full.inheriting });
    assert.equal(call(refused.guest, without, other), Errno.NOTCAPABLE);
    unchanged?.(refused);

    const allowed = setup();
    const withIt = openDirectory(allowed.guest, full);
    assert.equal(call(allowed.guest, withIt, openDirectory(allowed.guest, full)), Errno.SUCCESS);
    if (unchanged) assert.throws(() => unchanged(allowed), assert.AssertionError, 'the call did what the refused one must not');
  });
}
