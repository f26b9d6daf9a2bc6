// The POSIX answers of path_* calls at the edges the mutation check (scripts/mutate.mjs) found
// unchecked: an existing or dangling final name, and a path whose last component is `..`.
// Each case runs on both file systems, as wasi-path-link.test.mjs does.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Errno, MemoryDirectory, Oflags, WasiHost } from '../../dist/wasi/index.js';
import { NodeDirectory } from '../../dist/wasi/node.js';
import { Guest } from '../fixtures/wasi/guest.mjs';

const base = mkdtempSync(join(tmpdir(), 'weft-path-errors-'));
after(() => rmSync(base, { recursive: true, force: true }));

const backends = {
  NodeDirectory: () => {
    const root = mkdtempSync(join(base, 'case-'));
    return { directory: new NodeDirectory(root), exists: (name) => existsSync(join(root, name)), read: (name) => readFileSync(join(root, name), 'utf8') };
  },
  MemoryDirectory: () => {
    const directory = MemoryDirectory.from({});
    return { directory, exists: (path) => path.split('/').reduce((node, name) => node?.lookup?.(name), directory) !== undefined, read: (name) => directory.readTextFile(name) };
  },
};

function setup(makeRoot) {
  const made = makeRoot();
  const guest = new Guest(new WasiHost({ preopens: { '/work': made.directory } }));
  return { ...made, guest, dir: 3 };
}

/** Creates `name` holding `text` through the guest. */
function writeFile(guest, dir, name, text) {
  const fd = guest.create(dir, name);
  assert.equal(guest.write(fd, text).errno, Errno.SUCCESS);
  assert.equal(guest.call('fd_close', fd), Errno.SUCCESS);
}

for (const [name, makeRoot] of Object.entries(backends)) {
  test(`${name}: path_create_directory on a dangling symbolic link is EEXIST and creates nothing where it points`, () => {
    const { guest, dir, exists } = setup(makeRoot);
    assert.equal(guest.path('path_symlink', 'made-by-mkdir', dir, 'dangling'), Errno.SUCCESS);
    assert.equal(guest.path('path_create_directory', dir, 'dangling'), Errno.EXIST);
    assert.equal(exists('made-by-mkdir'), false);
  });

  test(`${name}: path_link to a name that exists is EEXIST and leaves that file alone`, () => {
    const { guest, dir, read } = setup(makeRoot);
    writeFile(guest, dir, 'source.txt', 'source');
    writeFile(guest, dir, 'taken.txt', 'taken');
    assert.equal(guest.path('path_link', dir, 0, 'source.txt', dir, 'taken.txt'), Errno.EXIST);
    assert.equal(read('taken.txt'), 'taken');
  });

  test(`${name}: path_remove_directory of a path ending in .. is ENOTEMPTY`, () => {
    const { guest, dir, exists } = setup(makeRoot);
    assert.equal(guest.path('path_create_directory', dir, 'sub'), Errno.SUCCESS);
    assert.equal(guest.path('path_create_directory', dir, 'sub/inner'), Errno.SUCCESS);
    assert.equal(guest.path('path_remove_directory', dir, 'sub/inner/..'), Errno.NOTEMPTY);
    assert.equal(guest.path('path_remove_directory', dir, 'sub/..'), Errno.NOTEMPTY);
    assert.equal(guest.path('path_remove_directory', dir, '..'), Errno.NOTCAPABLE, 'never above the preopen');
    assert.equal(exists('sub'), true);
  });

  // Why each answer: Linux's (rmdir, mkdir, rename and open(O_CREAT) of these paths, checked with
  // node:fs on ext4). A final `.` names the directory itself, which must exist, not a new or
  // removable entry called by the name before it.
  test(`${name}: a path whose last component is . names the directory itself, never its entry in the parent`, () => {
    const { guest, dir, exists } = setup(makeRoot);
    assert.equal(guest.path('path_create_directory', dir, 'sub'), Errno.SUCCESS);
    assert.equal(guest.path('path_create_directory', dir, 'sub/inner'), Errno.SUCCESS);
    assert.equal(guest.path('path_remove_directory', dir, 'sub/inner/.'), Errno.INVAL);
    assert.equal(guest.path('path_remove_directory', dir, 'sub/inner/./'), Errno.INVAL);
    assert.equal(exists('sub/inner'), true, 'rmdir of sub/inner/. removed sub/inner');
    assert.equal(guest.path('path_rename', dir, 'sub/inner/.', dir, 'moved'), Errno.BUSY);
    assert.equal(exists('sub/inner'), true, 'rename of sub/inner/. moved sub/inner');
    assert.equal(guest.path('path_create_directory', dir, 'new/.'), Errno.NOENT);
    assert.equal(exists('new'), false, 'mkdir of new/. made new');
    assert.equal(guest.path('path_create_directory', dir, 'sub/.'), Errno.EXIST);
    assert.equal(guest.open(dir, 'file/.', { oflags: Oflags.CREAT }).errno, Errno.NOENT);
    assert.equal(exists('file'), false, 'open(O_CREAT) of file/. made file');
    assert.equal(guest.path('path_symlink', 'target', dir, 'link/.'), Errno.NOENT);
    assert.equal(exists('link'), false, 'symlink at link/. made link');
    // What is unchanged: the directory itself can still be named so, and a trailing / still works.
    assert.equal(guest.statPath(dir, 'sub/inner/.').errno, Errno.SUCCESS);
    assert.equal(guest.path('path_remove_directory', dir, 'sub/inner/'), Errno.SUCCESS);
    assert.equal(exists('sub/inner'), false);
  });
}

test('path_link to a taken name is EEXIST before the backend is asked: WasiDirectory.link need not check', () => {
  // Why: the WasiDirectory contract says EEXIST for createFile, createDirectory and
  // createSymlink, not for link, so a caller's own backend may replace the name silently.
  const directory = MemoryDirectory.from({ 'source.txt': 'source', 'taken.txt': 'taken' });
  const links = [];
  const recording = new Proxy(directory, {
    get(target, property) {
      if (property === 'link') return (...args) => links.push(args[0]);
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const guest = new Guest(new WasiHost({ preopens: { '/work': recording } }));
  assert.equal(guest.path('path_link', 3, 0, 'source.txt', 3, 'taken.txt'), Errno.EXIST);
  assert.equal(guest.path('path_link', 3, 0, 'source.txt', 3, '.'), Errno.EXIST);
  assert.deepEqual(links, []);
  assert.equal(guest.path('path_link', 3, 0, 'source.txt', 3, 'free.txt'), Errno.SUCCESS);
  assert.deepEqual(links, ['free.txt']);
});
