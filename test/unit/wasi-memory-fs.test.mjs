import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Errno, MemoryDirectory, WasiHost } from '../../dist/wasi/index.js';
import { fsChecks } from '../fixtures/wasi/fs-checks.mjs';
import { Guest } from '../fixtures/wasi/guest.mjs';

fsChecks(test, 'MemoryDirectory', () => {
  const directory = MemoryDirectory.from();
  return { directory, readBack: (path) => directory.readTextFile(path) };
});

test('MemoryDirectory.from fills a tree the program can read, and the caller reads back what it wrote', async () => {
  const directory = MemoryDirectory.from({
    'a.txt': 'text',
    sub: { 'b.bin': new Uint8Array([1, 2, 3]), deeper: {} },
    'made/on/the/way.txt': 'x',
  });
  const guest = new Guest(new WasiHost({ preopens: { '/': directory } }));
  assert.equal((await guest.read(guest.open(3, 'a.txt').fd, 10)).text, 'text');
  assert.equal(guest.statPath(3, 'sub/b.bin').stat.size, 3n);
  assert.equal(guest.statPath(3, 'made/on/the/way.txt').stat.size, 1n);
  guest.write(guest.create(3, 'sub/deeper/out.txt'), 'written by the program');
  assert.equal(directory.readTextFile('sub/deeper/out.txt'), 'written by the program');
  assert.deepEqual(directory.readFile('sub/b.bin'), new Uint8Array([1, 2, 3]));
  const tree = directory.toTree();
  assert.deepEqual(Object.keys(tree).sort(), ['a.txt', 'made', 'sub']);
  assert.deepEqual(tree.sub['b.bin'], new Uint8Array([1, 2, 3]));
  assert.throws(() => directory.readFile('nope'), (error) => error.errno === Errno.NOENT);
  directory.writeFile('a.txt', 'replaced');
  assert.equal((await guest.read(guest.open(3, 'a.txt').fd, 20)).text, 'replaced');
});

test('two preopens of one MemoryDirectory see the same files; renames across backends are EXDEV', () => {
  const shared = MemoryDirectory.from();
  const other = MemoryDirectory.from();
  const guest = new Guest(new WasiHost({ preopens: { '/a': shared, '/b': shared, '/c': other } }));
  guest.write(guest.create(3, 'f'), 'one');
  assert.equal(guest.statPath(4, 'f').stat.size, 3n);
  assert.equal(guest.path('path_rename', 3, 'f', 4, 'g'), Errno.SUCCESS);
  assert.equal(guest.path('path_rename', 4, 'g', 5, 'g'), Errno.SUCCESS, 'two MemoryDirectory trees share one backend class');
  assert.equal(other.readTextFile('g'), 'one');
});
