// A program may hold at most 1,024 open fds (stdio and preopens included), like a default
// `ulimit -n`: past it path_open answers EMFILE before it opens or creates anything, so a guest
// cannot exhaust the embedding process's own descriptors.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Errno, MemoryDirectory, Oflags, Rights, WasiHost } from '../../dist/wasi/index.js';
import { NodeDirectory } from '../../dist/wasi/node.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const MAX_OPEN_FDS = 1024;
const READ = Rights.FD_READ;

const base = mkdtempSync(join(tmpdir(), 'weft-fd-limit-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** Opens `name` read-only until path_open fails; returns the fds and the failing errno. */
function openUntilRefused(guest, name) {
  const fds = [];
  for (;;) {
    const { errno, fd } = guest.open(3, name, { rights: READ });
    if (errno !== Errno.SUCCESS) return { fds, errno };
    fds.push(fd);
    if (fds.length > 2 * MAX_OPEN_FDS) return { fds, errno: 'no limit' };
  }
}

test('MemoryDirectory: the 1,025th open fd is EMFILE; closing one makes room again', () => {
  const guest = new Guest(new WasiHost({ preopens: { '/work': MemoryDirectory.from({ 'a.txt': 'a' }) } }), new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true }));
  const { fds, errno } = openUntilRefused(guest, 'a.txt');
  assert.equal(errno, Errno.MFILE);
  assert.equal(fds.length, MAX_OPEN_FDS - 4, 'stdio and the preopen count too');
  assert.equal(guest.open(3, 'new.txt', { oflags: Oflags.CREAT, rights: READ }).errno, Errno.MFILE);
  assert.equal(guest.statPath(3, 'new.txt').errno, Errno.NOENT, 'EMFILE creates no file');
  // fd_renumber moves an fd onto an open one: the count does not grow.
  assert.equal(guest.call('fd_renumber', fds[0], fds[1]), Errno.SUCCESS);
  assert.equal(guest.open(3, 'a.txt', { rights: READ }).errno, Errno.SUCCESS);
  assert.equal(guest.open(3, 'a.txt', { rights: READ }).errno, Errno.MFILE);
  assert.equal(guest.call('fd_close', fds[2]), Errno.SUCCESS);
  assert.equal(guest.open(3, 'a.txt', { rights: READ }).errno, Errno.SUCCESS);
});

test('NodeDirectory: at the limit no host file is opened or created, and closing the host frees them all', { skip: !existsSync('/proc/self/fd') && 'needs /proc/self/fd' }, () => {
  const root = mkdtempSync(join(base, 'root-'));
  writeFileSync(join(root, 'a.txt'), 'a');
  const hostFds = () => readdirSync('/proc/self/fd').length;
  const before = hostFds();
  const host = new WasiHost({ preopens: { '/work': new NodeDirectory(root) } });
  const guest = new Guest(host, new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true }));
  const { fds, errno } = openUntilRefused(guest, 'a.txt');
  assert.equal(errno, Errno.MFILE);
  assert.equal(fds.length, MAX_OPEN_FDS - 4);
  const atLimit = hostFds();
  assert.equal(atLimit - before, fds.length, 'one host fd per guest fd');
  assert.equal(guest.open(3, 'a.txt', { rights: READ }).errno, Errno.MFILE);
  assert.equal(guest.open(3, 'b.txt', { oflags: Oflags.CREAT, rights: READ }).errno, Errno.MFILE);
  assert.equal(hostFds(), atLimit, 'EMFILE opened nothing on the host');
  assert.equal(existsSync(join(root, 'b.txt')), false, 'EMFILE created nothing on the host');
  host.close();
  assert.equal(hostFds(), before);
});
