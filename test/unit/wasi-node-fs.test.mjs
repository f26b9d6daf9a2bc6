import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../../dist/errors/index.js';
import { Errno, Filetype, WasiHost } from '../../dist/wasi/index.js';
import { NodeDirectory } from '../../dist/wasi/node.js';
import { fsChecks } from '../fixtures/wasi/fs-checks.mjs';
import { Guest } from '../fixtures/wasi/guest.mjs';

const base = mkdtempSync(join(tmpdir(), 'weft-wasi-'));
after(() => rmSync(base, { recursive: true, force: true }));
let count = 0;

/** A fresh preopen root in the temp dir, with a secret file beside it that must stay out of reach. */
function makeSandbox() {
  const parent = join(base, `case-${(count += 1)}`);
  const root = join(parent, 'root');
  const outside = join(parent, 'outside');
  mkdirSync(root, { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  return { root, outside };
}

fsChecks(test, 'NodeDirectory', () => {
  const { root } = makeSandbox();
  return { directory: new NodeDirectory(root), readBack: (path) => readFileSync(join(root, path), 'utf8') };
});

function sandboxGuest() {
  const { root, outside } = makeSandbox();
  return { root, outside, guest: new Guest(new WasiHost({ preopens: { '/sandbox': new NodeDirectory(root) } })) };
}

// Escapes are refused with ENOTCAPABLE, the preview1 errno for "the capability (this directory
// fd) does not reach there" — what wasmtime answers too. EPERM/EACCES would claim a permission
// problem on the host file, which the program could not fix and which is not what happened.
test('NodeDirectory: host symlinks out of the sandbox are refused with ENOTCAPABLE, whether absolute or relative', () => {
  const { root, outside, guest } = sandboxGuest();
  symlinkSync(join(outside, 'secret.txt'), join(root, 'abs-file'));
  symlinkSync(outside, join(root, 'abs-dir'));
  symlinkSync('../outside/secret.txt', join(root, 'rel-file'));
  symlinkSync('..', join(root, 'up'));
  for (const path of ['abs-file', 'abs-dir/secret.txt', 'rel-file', 'up/outside/secret.txt', '../outside/secret.txt']) {
    assert.equal(guest.open(3, path).errno, Errno.NOTCAPABLE, path);
    assert.equal(guest.statPath(3, path).errno, Errno.NOTCAPABLE, path);
  }
  assert.equal(guest.path('path_create_directory', 3, 'abs-dir/new'), Errno.NOTCAPABLE);
  assert.equal(guest.statPath(3, 'abs-file', false).stat.filetype, Filetype.SYMBOLIC_LINK, 'the link itself may be inspected');
  assert.equal(guest.path('path_unlink_file', 3, 'abs-dir'), Errno.SUCCESS, 'and removed');
  assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret');
});

test('NodeDirectory: a directory fd whose directory is swapped for a link to the outside is refused', () => {
  const { root, outside, guest } = sandboxGuest();
  mkdirSync(join(root, 'sub'));
  const sub = guest.open(3, 'sub', { rights: 0x3fffffffn & ~(1n << 6n) });
  assert.equal(sub.errno, Errno.SUCCESS);
  assert.equal(guest.path('path_rename', 3, 'sub', 3, 'moved'), Errno.SUCCESS);
  symlinkSync(outside, join(root, 'sub'));
  assert.equal(guest.open(sub.fd, 'secret.txt').errno, Errno.NOTCAPABLE);
  assert.equal(guest.readdir(sub.fd).errno, Errno.NOTCAPABLE);
});

test('NodeDirectory: a FIFO is listed but opening it fails at once instead of blocking the host', (t) => {
  const { root, guest } = sandboxGuest();
  try {
    execFileSync('mkfifo', [join(root, 'pipe')]);
  } catch {
    t.skip('mkfifo is not available');
    return;
  }
  assert.equal(guest.open(3, 'pipe').errno, Errno.NOTSUP);
  assert.ok(guest.readdir(3).entries.some((entry) => entry.name === 'pipe'));
});

test('NodeDirectory: files written by the program are on disk; host files are read', async () => {
  const { root, guest } = sandboxGuest();
  writeFileSync(join(root, 'in.txt'), 'from the host');
  assert.equal((await guest.read(guest.open(3, 'in.txt').fd, 64)).text, 'from the host');
  const fd = guest.create(3, 'out.txt');
  guest.write(fd, 'from the guest');
  assert.equal(readFileSync(join(root, 'out.txt'), 'utf8'), 'from the guest');
  assert.throws(() => new NodeDirectory(join(root, 'in.txt')), (error) => error instanceof InvalidArgumentError && /in\.txt" is not a directory/.test(error.message));
});

test('NodeDirectory takes a file: URL as well as a path, and refuses a path it cannot open with node:fs\'s error as the cause', () => {
  const { root } = makeSandbox();
  writeFileSync(join(root, 'in.txt'), 'from the host');
  const guest = new Guest(new WasiHost({ preopens: { '/sandbox': new NodeDirectory(pathToFileURL(root)) } }));
  assert.equal(guest.statPath(3, 'in.txt').errno, Errno.SUCCESS);
  const missing = join(root, 'missing');
  assert.throws(() => new NodeDirectory(missing), (error) => error instanceof InvalidArgumentError && error.cause?.code === 'ENOENT' && error.message.includes(`"${missing}" does not exist`));
});

test('WasiHost.close closes the host files the program left open', () => {
  const { root } = makeSandbox();
  const hostFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
  const before = hostFds();
  const host = new WasiHost({ preopens: { '/': new NodeDirectory(root) } });
  const guest = new Guest(host);
  const fds = Array.from({ length: 5 }, (_, index) => guest.create(3, `f${index}`));
  assert.equal(new Set(fds).size, 5);
  if (before > 0) assert.equal(hostFds(), before + 5);
  host.close();
  assert.equal(hostFds(), before);
  assert.equal(guest.call('fd_close', fds[0]), Errno.CANCELED);
});
