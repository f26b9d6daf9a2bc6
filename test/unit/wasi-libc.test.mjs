// A real wasi-libc program (test/fixtures/wasi/libc-smoke.c) run single-threaded on this thread,
// each import answered synchronously by a WasiHost, over both directory backends.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryDirectory, WasiHost } from '../../dist/wasi/index.js';
import { NodeDirectory } from '../../dist/wasi/node.js';

const module = new WebAssembly.Module(readFileSync(new URL('../fixtures/wasi/libc-smoke.wasm', import.meta.url)));

class ProgramExit {
  constructor(code) {
    this.code = code;
  }
}

/**
 * Runs the program's `_start` with `directory` preopened as /work: { code, output }. stdout is a
 * terminal unless told otherwise, so that wasi-libc line-buffers it and the order of stdout and
 * stderr lines is the order the program wrote them.
 */
function runProgram(directory, terminal = { stdout: true }) {
  let output = '';
  const decoder = new TextDecoder();
  const host = new WasiHost({
    args: ['smoke', 'one'],
    env: { GREETING: 'hi' },
    preopens: { '/work': directory },
    stdin: 'a line\n',
    stdout: (bytes) => { output += decoder.decode(bytes); },
    stderr: (bytes) => { output += `[stderr]${decoder.decode(bytes)}`; },
    terminal,
  });
  let memory;
  const wasi = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    if (from !== 'wasi_snapshot_preview1') continue;
    wasi[name] = name === 'proc_exit'
      ? (code) => { throw new ProgramExit(code); }
      : (...args) => {
        const errno = host.call(name, args, memory);
        if (typeof errno !== 'number') throw new Error(`${name} wanted to wait`);
        return errno;
      };
  }
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi });
  memory = instance.exports.memory;
  let code = 0;
  try {
    instance.exports._start();
  } catch (error) {
    if (!(error instanceof ProgramExit)) throw error;
    code = error.code;
  }
  host.close();
  return { code, output };
}

const EXPECTED = `argc=2 argv1=one env=hi
monotonic ok=1
random ok=1 isatty=1
stdin=a line
in.txt=from the host

mkdir=0
mkdir again=-1 errno=File exists
rmdir nonempty=-1 errno=Directory not empty
rename=0
symlink=0
readlink=1 b
stat size=3 reg=1
lstat lnk=1
readdir: . .. b link
lseek end=5
escape=-1 errno=Capabilities insufficient
unlink=0 0 rmdir=0
[stderr]to stderr
no newline at the end`;

test('a wasi-libc program runs against a MemoryDirectory', () => {
  const directory = MemoryDirectory.from({ 'in.txt': 'from the host\n' });
  const { code, output } = runProgram(directory);
  assert.equal(output, EXPECTED);
  assert.equal(code, 3);
  assert.equal(directory.readTextFile('out.txt'), 'written by C\n');
});

test('a wasi-libc program runs against a NodeDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-wasi-libc-'));
  try {
    writeFileSync(join(root, 'in.txt'), 'from the host\n');
    const { code, output } = runProgram(new NodeDirectory(root));
    assert.equal(output, EXPECTED);
    assert.equal(code, 3);
    assert.equal(readFileSync(join(root, 'out.txt'), 'utf8'), 'written by C\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('stdout that is not a terminal: isatty() is 0 and wasi-libc buffers stdout fully, so stderr comes first', () => {
  const { code, output } = runProgram(MemoryDirectory.from({ 'in.txt': 'from the host\n' }), {});
  assert.equal(code, 3);
  const stdoutPart = EXPECTED.replace('[stderr]to stderr\n', '').replace('isatty=1', 'isatty=0');
  // stderr is unbuffered; the one full stdout buffer is written at exit, after it.
  assert.equal(output, `${EXPECTED.slice(0, EXPECTED.indexOf('\n') + 1)}[stderr]to stderr\n${stdoutPart.slice(stdoutPart.indexOf('\n') + 1)}`);
});
