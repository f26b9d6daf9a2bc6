// What `weft run` and `runWasi` start: one process, only the workers a program needs before its
// first thread-spawn, and V8's Liftoff workaround only for modules that wait on atomics.
// observe-start.mjs (preloaded with --import) counts workers, child processes and V8 flags.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hasLiftoffAtomicsBug } from '../../dist/runtime/node/liftoff-bug.js';

const cli = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));
const hook = fileURLToPath(new URL('./observe-start.mjs', import.meta.url));
const nodeEntry = new URL('../../dist/node.js', import.meta.url).href;
const program = (name) => fileURLToPath(new URL(`../../wasm/wasi/${name}.wasm`, import.meta.url));
const liftoffFlagExpected = hasLiftoffAtomicsBug(process.versions.node);
// Main's worker plus about one per spawned thread: the host starts a worker per queued spawn, and
// may start one that ends up idle when a worker that finished its thread takes a queued spawn
// first. A generous bound, which the old default (one worker per core, all before _start) passes
// only on small machines; the exact counts are checked where nothing spawns.
const MOST_WORKERS_FOR_4_SPAWNS = 1 + 2 * 4;

let dir;
let runs = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-start-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Runs node with the observer preloaded; resolves to the exit code, output and what it saw. */
async function observe(args, { input } = {}) {
  const file = join(dir, `seen-${runs++}.json`);
  const result = await new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', hook, ...args], { timeout: 60_000, env: { ...process.env, WEFT_OBSERVE_FILE: file } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
  const seen = JSON.parse(await readFile(file, 'utf8').catch(() => 'null'));
  return { ...result, seen };
}

/** Runs an ES module snippet that has `runWasi` and `program(name)` in scope. */
async function observeScript(body) {
  const script = join(dir, `script-${runs}.mjs`);
  await writeFile(script, `import { runWasi } from ${JSON.stringify(nodeEntry)};
const program = (name) => new URL('../wasm/wasi/' + name + '.wasm', ${JSON.stringify(nodeEntry)});
${body}`);
  // Why: a file, not --eval: workers inherit execArgv, and --input-type would break theirs.
  return observe([script]);
}

test('weft run runs a plain wasip1 program that never waits on its own thread: no worker, no second process, no V8 flags', async () => {
  const run = await observe([cli, 'run', program('no-thread-spawn'), '--', '7']);
  assert.deepEqual([run.code, run.stdout, run.stderr], [7, 'hello\n', 'no newline']);
  assert.equal(run.seen.workers, 0);
  assert.deepEqual(run.seen.childProcesses, []);
  // A module without memory.atomic.wait cannot meet Node 20's Liftoff bug.
  assert.deepEqual(run.seen.v8Flags, []);
  assert.equal(run.seen.loadedFetch, false, 'a module read from a file needs no fetch');
  const hello = await observe([cli, 'run', fileURLToPath(new URL('../../bench/programs/hello-libc.wasm', import.meta.url))]);
  assert.deepEqual([hello.code, hello.stdout, hello.stderr, hello.seen.workers], [0, 'hello, world\n', '', 0]);
});

test('a trap on weft run\'s own thread exits 134 and names thread 0, as on a worker', async () => {
  // (module (memory (export "memory") 1) (func (export "_start") unreachable))
  const trap = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x13, 0x02, 0x06, ...Buffer.from('memory'), 0x02, 0x00, 0x06, ...Buffer.from('_start'),
    0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
  ]);
  const file = join(dir, 'trap.wasm');
  await writeFile(file, trap);
  const run = await observe([cli, 'run', file]);
  assert.equal(run.code, 134);
  assert.match(run.stderr, /^weft: RuntimeError: unreachable.* \(in thread 0\)\n$/);
  assert.equal(run.seen.workers, 0);
});

test('a plain wasip1 program that may wait (it imports fd_read) runs on one worker', async () => {
  const smoke = fileURLToPath(new URL('../fixtures/wasi/libc-smoke.wasm', import.meta.url));
  const work = join(dir, 'work');
  await mkdir(work);
  await writeFile(join(work, 'in.txt'), 'x\n');
  const run = await observe([cli, 'run', '--dir', `${work}::/work`, '--env', 'GREETING=hi', smoke, '--', 'one'], { input: 'a line\n' });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stdout, /^argc=2 argv1=one env=hi\n[\s\S]*stdin=a line\n/);
  assert.equal(run.seen.workers, 1);
  assert.deepEqual(run.seen.childProcesses, []);
});

test('a wasi-threads program that spawns nothing runs on one worker', async () => {
  const run = await observe([cli, 'run', program('c-primes'), '--', '100', '0']);
  assert.deepEqual([run.code, run.stdout], [0, 'primes below 100: 25\n'], run.stderr);
  assert.equal(run.seen.workers, 1);
  assert.deepEqual(run.seen.childProcesses, []);
});

test('a wasi-threads program gets a worker per spawn it needs, and the Liftoff workaround where the bug is', async () => {
  const run = await observe([cli, 'run', program('c-hello-threads')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /thread 3 says hello[\s\S]*joined 4\n$/);
  assert.ok(run.seen.workers >= 2 && run.seen.workers <= MOST_WORKERS_FOR_4_SPAWNS, `workers: ${run.seen.workers}`);
  assert.deepEqual(run.seen.childProcesses, []);
  assert.deepEqual(run.seen.v8Flags, liftoffFlagExpected ? ['--no-liftoff'] : []);
});

test('runWasi starts one worker before _start by default (a plain program too); `threads` pre-starts more', async () => {
  const run = await observeScript(`
const plain = await runWasi(program('c-primes'), { args: ['100', '0'], stdout: () => {} });
// The library never blocks its caller: even a plain wasip1 program runs on a worker.
await runWasi(program('no-thread-spawn'), { stdout: () => {}, stderr: () => {} });
process.stdout.write('default ' + plain.exitCode + '\\n');
const warm = await runWasi(program('c-primes'), { args: ['100', '0'], threads: 3, stdout: () => {} });
process.stdout.write('threads:3 ' + warm.exitCode + '\\n');`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'default 0\nthreads:3 0\n');
  // 1 for the default run, 1 for the plain program, 3 for threads: 3 (before _start, though nothing spawns).
  assert.equal(run.seen.workers, 5);
});

test('spawns that find no idle worker queue and are served by workers started for them', async () => {
  const run = await observeScript(`
const out = [];
const { exitCode } = await runWasi(program('c-primes'), { args: ['300000', '4'], threads: 1, stdout: (b) => out.push(Buffer.from(b).toString()) });
process.stdout.write(exitCode + ' ' + out.join(''));`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '0 primes below 300000: 25997\n');
  assert.ok(run.seen.workers >= 2 && run.seen.workers <= MOST_WORKERS_FOR_4_SPAWNS, `workers: ${run.seen.workers}`);
});

test('a module that cannot be loaded leaves no worker behind (the process exits by itself)', async () => {
  const run = await observeScript(`
await runWasi('/no/such/prog.wasm').catch((error) => process.stdout.write(error.name));`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'InvalidModuleError');
  assert.ok(run.seen.workers <= 1);
});

test('usesAtomicWait finds memory.atomic.wait32/64 in the code section, and only there', async () => {
  const { usesAtomicWait } = await import('../../dist/wasi-threads/atomic-waits.js');
  const bytes = async (path) => new Uint8Array(await readFile(fileURLToPath(new URL(path, import.meta.url))));
  assert.equal(usesAtomicWait(await bytes('../../wasm/wasi/no-thread-spawn.wasm')), false);
  assert.equal(usesAtomicWait(await bytes('../fixtures/wasi/libc-smoke.wasm')), false);
  assert.equal(usesAtomicWait(await bytes('../../wasm/wasi/c-hello-threads.wasm')), true);
  assert.equal(usesAtomicWait(await bytes('../../wasm/liftoff-repro.wasm')), true);
  // (module (memory 1 1 shared) (func (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
  const wait32 = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x05, 0x04, 0x01, 0x03, 0x01, 0x01, 0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x41, 0x00, 0x41, 0x00, 0x42, 0x7f, 0xfe,
    0x01, 0x02, 0x00, 0x1a, 0x0b,
  ]);
  assert.ok(await WebAssembly.validate(wait32));
  assert.equal(usesAtomicWait(wait32), true);
  // The same opcode bytes in a data segment are not code.
  const inData = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0b, 0x08, 0x01, 0x00, 0x41,
    0x00, 0x0b, 0x02, 0xfe, 0x01,
  ]);
  assert.ok(await WebAssembly.validate(inData));
  assert.equal(usesAtomicWait(inData), false);
  // Bytes that are not a module: assume the worst.
  assert.equal(usesAtomicWait(new Uint8Array([1, 2, 3])), true);
});

test('bytesFitHostThread: no thread-spawn and no call that may wait, read from the start of the file', async () => {
  const { bytesFitHostThread } = await import('../../dist/wasi-threads/host-thread.js');
  const bytes = async (path) => new Uint8Array(await readFile(fileURLToPath(new URL(path, import.meta.url))));
  const hello = await bytes('../../bench/programs/hello-libc.wasm');
  assert.equal(bytesFitHostThread(hello), true);
  assert.equal(bytesFitHostThread(await bytes('../../wasm/wasi/no-thread-spawn.wasm')), true);
  assert.equal(bytesFitHostThread(await bytes('../fixtures/wasi/libc-smoke.wasm')), false, 'imports fd_read');
  assert.equal(bytesFitHostThread(await bytes('../../wasm/wasi/c-primes.wasm')), false, 'imports thread-spawn');
  // A start of the file that ends inside the import section cannot tell.
  assert.equal(bytesFitHostThread(hello.subarray(0, 40)), false);
  assert.equal(bytesFitHostThread(new Uint8Array(0)), false);
});
