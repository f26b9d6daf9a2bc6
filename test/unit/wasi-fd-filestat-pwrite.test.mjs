// fd_filestat_get on each kind of fd, and fd_pwrite's check of its result pointer before it
// writes: cases the mutation check (scripts/mutate.mjs) found unchecked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Errno, Filetype, MemoryDirectory, Rights, WasiHost } from '../../dist/wasi/index.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

function setup() {
  const directory = MemoryDirectory.from({ 'file.txt': 'abcdef', sub: {} });
  return { directory, guest: new Guest(new WasiHost({ preopens: { '/work': directory } })), dir: 3 };
}

test('fd_filestat_get of a directory fd is the directory\'s own stat; of stdout a stat with no error', () => {
  const { guest, dir } = setup();
  const sub = guest.open(dir, 'sub', { rights: Rights.FD_FILESTAT_GET | Rights.FD_READDIR });
  assert.equal(sub.errno, Errno.SUCCESS);
  const byFd = guest.statFd(sub.fd);
  const byPath = guest.statPath(dir, 'sub');
  assert.equal(byFd.errno, Errno.SUCCESS);
  assert.equal(byFd.stat.filetype, Filetype.DIRECTORY);
  assert.ok(byPath.stat.mtim > 0n, 'the directory has a modification time');
  assert.deepEqual(byFd.stat, byPath.stat);
  const stdout = guest.statFd(1);
  assert.equal(stdout.errno, Errno.SUCCESS);
  assert.equal(stdout.stat.size, 0n);
});

test('fd_pwrite whose nwritten pointer runs past the end of memory is EFAULT and writes nothing', () => {
  const { directory, guest, dir } = setup();
  const { fd } = guest.open(dir, 'file.txt');
  const [iovs, count] = guest.iovecs([guest.put('XYZ')]);
  const end = guest.memory.buffer.byteLength;
  assert.equal(guest.call('fd_pwrite', fd, iovs, count, 0n, end - 3), Errno.FAULT);
  assert.equal(directory.readTextFile('file.txt'), 'abcdef');
  const nwritten = guest.alloc(4, 4);
  assert.equal(guest.call('fd_pwrite', fd, iovs, count, 0n, nwritten), Errno.SUCCESS);
  assert.equal(guest.u32(nwritten), 3);
  assert.equal(directory.readTextFile('file.txt'), 'XYZdef');
});
