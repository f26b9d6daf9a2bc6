// path_link follows link(2) on Linux: a symbolic link source (without SYMLINK_FOLLOW) is linked
// itself, even when it dangles or loops; nothing escapes the preopen on the way.
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Errno, Filetype, Lookupflags, MemoryDirectory, WasiHost } from '../../dist/wasi/index.js';
import { NodeDirectory } from '../../dist/wasi/node.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const base = mkdtempSync(join(tmpdir(), 'weft-link-'));
after(() => rmSync(base, { recursive: true, force: true }));
const NO_FOLLOW = 0;

const backends = {
  NodeDirectory: () => {
    const parent = mkdtempSync(join(base, 'case-'));
    const root = join(parent, 'root');
    mkdirSync(root);
    mkdirSync(join(parent, 'outside'));
    writeFileSync(join(parent, 'outside', 'secret.txt'), 'secret');
    return { directory: new NodeDirectory(root), root, outside: join(parent, 'outside') };
  },
  MemoryDirectory: () => ({ directory: MemoryDirectory.from({}) }),
};

function setup(makeRoot) {
  const made = makeRoot();
  return { ...made, guest: new Guest(new WasiHost({ preopens: { '/work': made.directory } })), dir: 3 };
}

function readlink(guest, dir, path) {
  const buf = guest.alloc(64, 1);
  const used = guest.alloc(4, 4);
  const errno = guest.path('path_readlink', dir, path, buf, 64, used);
  return errno === Errno.SUCCESS ? guest.text(buf, guest.u32(used)) : errno;
}

for (const [name, makeRoot] of Object.entries(backends)) {
  test(`${name}: a dangling symbolic link is linked itself`, () => {
    const { guest, dir, root } = setup(makeRoot);
    assert.equal(guest.path('path_symlink', 'target', dir, 'symlink'), Errno.SUCCESS);
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'symlink', dir, 'link'), Errno.SUCCESS);
    const [source, link] = [guest.statPath(dir, 'symlink', false).stat, guest.statPath(dir, 'link', false).stat];
    assert.equal(link.filetype, Filetype.SYMBOLIC_LINK);
    assert.equal(link.ino, source.ino);
    assert.deepEqual([source.nlink, link.nlink], [2n, 2n]);
    assert.equal(readlink(guest, dir, 'link'), 'target');
    if (root !== undefined) assert.ok(lstatSync(join(root, 'link')).isSymbolicLink(), 'on disk too');

    assert.equal(guest.path('path_unlink_file', dir, 'symlink'), Errno.SUCCESS);
    assert.equal(guest.statPath(dir, 'link', false).stat.nlink, 1n);
    assert.equal(readlink(guest, dir, 'link'), 'target', 'the other name stays');
    assert.equal(guest.path('path_unlink_file', dir, 'link'), Errno.SUCCESS);
  });

  test(`${name}: a symbolic link loop is linked itself; following a dangling one is ENOENT`, () => {
    const { guest, dir } = setup(makeRoot);
    assert.equal(guest.path('path_symlink', 'symlink', dir, 'symlink'), Errno.SUCCESS);
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'symlink', dir, 'link'), Errno.SUCCESS);
    assert.equal(readlink(guest, dir, 'link'), 'symlink');
    assert.equal(guest.path('path_link', dir, Lookupflags.SYMLINK_FOLLOW, 'symlink', dir, 'other'), Errno.LOOP);
    assert.equal(guest.path('path_symlink', 'target', dir, 'dangling'), Errno.SUCCESS);
    assert.equal(guest.path('path_link', dir, Lookupflags.SYMLINK_FOLLOW, 'dangling', dir, 'other'), Errno.NOENT);
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'symlink', dir, 'dangling'), Errno.EXIST, 'a dangling link is a taken name');
  });

  test(`${name}: with SYMLINK_FOLLOW the file a link points to is linked`, () => {
    const { guest, dir } = setup(makeRoot);
    guest.write(guest.create(dir, 'file'), 'data');
    assert.equal(guest.path('path_symlink', 'file', dir, 'symlink'), Errno.SUCCESS);
    assert.equal(guest.path('path_link', dir, Lookupflags.SYMLINK_FOLLOW, 'symlink', dir, 'followed'), Errno.SUCCESS);
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'symlink', dir, 'itself'), Errno.SUCCESS);
    const file = guest.statPath(dir, 'file', false).stat;
    assert.equal(guest.statPath(dir, 'followed', false).stat.ino, file.ino);
    assert.equal(guest.statPath(dir, 'followed', false).stat.filetype, Filetype.REGULAR_FILE);
    assert.equal(guest.statPath(dir, 'itself', false).stat.filetype, Filetype.SYMBOLIC_LINK);
    assert.equal(file.nlink, 2n);
    assert.equal(guest.readNow(guest.open(dir, 'itself').fd, 10).text, 'data', 'the linked link resolves like the original');
  });

  test(`${name}: a linked symbolic link that points out of the sandbox stays refused`, () => {
    const { guest, dir, directory } = setup(makeRoot);
    assert.equal(guest.path('path_create_directory', dir, 'sub'), Errno.SUCCESS);
    // The guest cannot make such a link (path_symlink refuses it); the host can.
    assert.equal(guest.path('path_symlink', '../../outside/secret.txt', dir, 'sub/escape'), Errno.NOTCAPABLE);
    directory.lookup('sub').createSymlink('escape', '../../outside/secret.txt');
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'sub/escape', dir, 'escape'), Errno.SUCCESS);
    assert.equal(guest.open(dir, 'escape').errno, Errno.NOTCAPABLE);
    assert.equal(guest.path('path_link', dir, Lookupflags.SYMLINK_FOLLOW, 'sub/escape', dir, 'followed'), Errno.NOTCAPABLE);
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, '../outside/secret.txt', dir, 'x'), Errno.NOTCAPABLE);
    assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'escape', dir, '../x'), Errno.NOTCAPABLE);
  });
}

test('NodeDirectory: a host link to an absolute path outside is linked as a link, never as the file it names', () => {
  const { guest, dir, root, outside } = setup(backends.NodeDirectory);
  symlinkSync(join(outside, 'secret.txt'), join(root, 'abs'));
  assert.equal(guest.path('path_link', dir, NO_FOLLOW, 'abs', dir, 'copy'), Errno.SUCCESS);
  assert.ok(lstatSync(join(root, 'copy')).isSymbolicLink());
  assert.equal(lstatSync(join(outside, 'secret.txt')).nlink, 1, 'no new name for the outside file');
  assert.equal(guest.open(dir, 'copy').errno, Errno.NOTCAPABLE);
  assert.equal(guest.path('path_link', dir, Lookupflags.SYMLINK_FOLLOW, 'abs', dir, 'followed'), Errno.NOTCAPABLE);
  assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret');
});
