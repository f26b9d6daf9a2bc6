// `weft run`: WASI programs from the command line, like `wasmtime run -S threads`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));
const program = (name) => fileURLToPath(new URL(`../../wasm/wasi/${name}.wasm`, import.meta.url));

function weft(args, options = {}) {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { timeout: 60_000, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
  });
}

test('weft run runs the threaded C programs', async () => {
  const primes = await weft(['run', program('c-primes'), '--', '200000', '4']);
  assert.deepEqual([primes.code, primes.stdout], [0, 'primes below 200000: 17984\n'], primes.stderr);
  const hello = await weft(['run', program('c-hello-threads')]);
  assert.equal(hello.code, 0, hello.stderr);
  assert.match(hello.stdout, /thread 3 says hello[\s\S]*joined 4\n$/);
});

test('the process exits with the program\'s exit code', async () => {
  const plain = await weft(['run', program('no-thread-spawn'), '--', '42']);
  assert.deepEqual([plain.code, plain.stdout, plain.stderr], [42, 'hello\n', 'no newline']);
  const fromThread = await weft(['run', program('thread-exit-while-blocked'), '--', 'stdin'], { input: '' });
  assert.equal(fromThread.code, 9);
});

test('a trap prints its message and thread to stderr and exits non-zero', async () => {
  const trapped = await weft(['run', program('trap-in-thread')]);
  assert.equal(trapped.code, 134);
  // V8 says "unreachable"; JavaScriptCore (Bun) "Unreachable code should not be executed (evaluating '…')".
  assert.match(trapped.stderr, /weft: RuntimeError: unreachable.* \(in thread 1\)/i);
});

test('--max-threads limits spawning', async () => {
  const limited = await weft(['run', '--max-threads', '10', program('many-threads')]);
  assert.equal(limited.code, 3);
  assert.match(limited.stderr, /spawn failed/);
});

test('usage mistakes exit with 2 and say what to do', async () => {
  const missing = await weft(['run']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /run needs a \.wasm file/);
  const badDir = await weft(['run', '--dir', '::guest', program('spawn')]);
  assert.equal(badDir.code, 2);
  const notFound = await weft(['run', '/no/such/prog.wasm']);
  assert.equal(notFound.code, 1);
  assert.match(notFound.stderr, /InvalidModuleError/);
});

test('output piped into a reader that stops early does not crash', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'weft-cli-'));
  try {
    const result = await new Promise((resolve) => {
      execFile('sh', ['-c', `"${process.execPath}" "${cli}" run "${program('c-hello-threads')}" | head -1 > "${join(dir, 'out')}"; echo $?`], (error, stdout, stderr) => resolve({ stdout, stderr }));
    });
    assert.equal(result.stdout.trim(), '0');
    assert.doesNotMatch(result.stderr, /EPIPE/);
    assert.match(await readFile(join(dir, 'out'), 'utf8'), /says hello/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--dir gives the program a host directory, shared by all its threads', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'weft-dir-'));
  try {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'in.txt'), 'hello from the host');
    const result = await weft(['run', '--dir', `${dir}::/data`, program('c-files')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'in.txt: hello from the host\nout.txt: written by thread 1\nwritten by main\n');
    assert.equal(await readFile(join(dir, 'out.txt'), 'utf8'), 'written by thread 1\nwritten by main\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a real wasi-libc program (wasm32-wasip1, its own memory) runs with weft run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'weft-libc-'));
  try {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'in.txt'), 'x\n');
    const smoke = fileURLToPath(new URL('../fixtures/wasi/libc-smoke.wasm', import.meta.url));
    const result = await weft(['run', '--dir', `${dir}::/work`, '--env', 'GREETING=hi', smoke, '--', 'one'], { input: 'a line\n' });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /^argc=2 argv1=one env=hi\n/);
    assert.match(result.stdout, /stdin=a line\n/);
    assert.match(result.stdout, /escape=-1 errno=Capabilities insufficient/);
    assert.match(result.stdout, /no newline at the end$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--dir with a host path that is missing or a file says which and why, before the program starts', async () => {
  const missing = join(tmpdir(), 'weft-no-such-dir', 'x');
  for (const name of ['spawn', 'no-thread-spawn']) {
    const result = await weft(['run', '--dir', `${missing}::/data`, program(name)]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '', 'the program did not run');
    assert.match(result.stderr, /InvalidOptionError.*"preopens" entry "\/data".*weft-no-such-dir.*does not exist/);
  }
  const file = await weft(['run', '--dir', `${program('spawn')}::/data`, program('spawn')]);
  assert.match(file.stderr, /InvalidOptionError.*"\/data".*spawn\.wasm.*is not a directory/);
});
