// runWasi's options are checked before anything starts: a wrong one is an InvalidOptionError that
// names it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError, MemoryDirectory, runWasi } from '../../dist/node.js';

const program = new URL('../../wasm/wasi/no-thread-spawn.wasm', import.meta.url);
const quiet = { stdout: () => {}, stderr: () => {} };
const base = mkdtempSync(join(tmpdir(), 'weft-wasi-options-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** Asserts that runWasi refuses `options` with an InvalidOptionError naming `option` whose message matches `message`. */
async function refuses(options, option, message = /./) {
  await assert.rejects(runWasi(program, { ...quiet, ...options }), (error) => {
    assert.ok(error instanceof InvalidOptionError, `${String(error)} for ${JSON.stringify(Object.keys(options))}`);
    assert.equal(error.option, option);
    assert.match(error.message, message);
    return true;
  });
}

test('terminal must name stdin, stdout or stderr with booleans', async () => {
  for (const terminal of ['yes', null, { stdout: 'true' }, { tty: true }]) {
    await refuses({ terminal }, 'terminal');
  }
  const { exitCode } = await runWasi(program, { args: ['3'], terminal: { stdout: true }, ...quiet });
  assert.equal(exitCode, 3);
});

// [option, wrong values]: types, NaN, infinities, negatives, fractions, huge numbers, NUL bytes
// (a C string would end there) and shapes a program could not be given.
const wrongValues = {
  args: ['1 2', 5, null, [1], ['ok', null], ['a\0b']],
  programName: [5, null, {}, 'a\0b'],
  env: [null, 'A=1', [], ['A=1'], { A: 1 }, { A: null }, { '': 'x' }, { 'A=B': 'x' }, { A: 'a\0' }, { 'A\0': 'x' }],
  preopens: [null, '/tmp', [], [base], { '/data': 5 }, { '/data': null }, { '/data': {} }, { '/data': { kind: 'file' } }, { '': MemoryDirectory.from() }, { '/a\0b': base }, { '/data': 'x\0y' }],
  stdin: [5, null, true, {}, [1, 2], { getReader: 1 }, new ArrayBuffer(4), new Uint16Array(2)],
  stdout: [5, 'out', {}],
  stderr: [5, null, {}],
  maxThreads: [NaN, Infinity, -Infinity, -1, 1.5, '4', 4n, 10_001, 2 ** 31, Number.MAX_SAFE_INTEGER],
  threads: [0, -1, NaN, Infinity, 1.5, '2', 10_002, 2 ** 31, 1e300],
  startTimeout: [NaN, Infinity, -1, '10', 2 ** 31],
  wake: ['sometimes', 1],
  memory: [5, {}, new ArrayBuffer(65536), new SharedArrayBuffer(65536)],
  nodeLiftoffWorkaround: ['yes', 1],
};

for (const [option, values] of Object.entries(wrongValues)) {
  test(`${option}: wrong types and ranges are InvalidOptionError naming "${option}"`, async () => {
    for (const value of values) await refuses({ [option]: value }, option, new RegExp(option));
  });
}

test('the options themselves must be an object', async () => {
  for (const options of [null, 5, 'x']) {
    await assert.rejects(runWasi(program, options), (error) => error instanceof InvalidOptionError && error.option === 'options');
  }
});

test('values at the edges of each range are taken', async () => {
  const stream = new ReadableStream({ start: (controller) => controller.close() });
  async function* lines() {
    yield 'x';
  }
  for (const options of [
    { args: [], programName: '', env: {}, preopens: {} },
    { maxThreads: 0, threads: 1 },
    { maxThreads: 10_000, threads: 10_001 },
    { stdin: new Uint8Array(2) },
    { stdin: stream },
    { stdin: lines() },
    { env: { A: '', 'B-c': 'd=e' }, preopens: { '/': MemoryDirectory.from(), '/tmp': base } },
  ]) {
    const { exitCode } = await runWasi(program, { args: ['4'], ...quiet, ...options, ...(options.args ? { args: ['4'] } : {}) });
    assert.equal(exitCode, 4, JSON.stringify(Object.keys(options)));
  }
});

test('a preopen host path that does not exist or is not a directory is InvalidOptionError naming preopens and the path', async () => {
  const file = join(base, 'a-file.txt');
  writeFileSync(file, 'not a directory');
  const missing = join(base, 'missing');
  await refuses({ preopens: { '/data': missing } }, 'preopens', new RegExp(`"/data".*${missing}.*does not exist`));
  await refuses({ preopens: { '/data': file } }, 'preopens', new RegExp(`"/data".*${file}.*not a directory`));
  await refuses({ preopens: { '/ok': base, '/data': join(file, 'below') } }, 'preopens', /not a directory|does not exist/);
});

test('a bad preopen is refused before any worker starts', async () => {
  const hook = fileURLToPath(new URL('./observe-start.mjs', import.meta.url));
  const observed = join(base, 'observed.json');
  const script = `
    import { runWasi } from ${JSON.stringify(new URL('../../dist/node.js', import.meta.url).href)};
    runWasi(${JSON.stringify(program.href)}, { preopens: { '/data': ${JSON.stringify(join(base, 'missing'))} } })
      .then(() => console.log('resolved'), (error) => console.log(error.name, error.option));
  `;
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', hook, '--input-type=module', '-e', script], { timeout: 60_000, env: { ...process.env, WEFT_OBSERVE_FILE: observed } }, (error, out) => (error ? reject(error) : resolve(out)));
  });
  assert.equal(stdout.trim(), 'InvalidOptionError preopens');
  assert.equal(JSON.parse(readFileSync(observed, 'utf8')).workers, 0);
});

// many-threads spawns 48 threads that are all alive at once (wasm/src/wasi/many-threads.wat).
test('maxThreads is exact: 48 threads run under maxThreads 48; under 47 the 48th spawn fails and the program exits 3', { timeout: 120_000 }, async () => {
  const manyThreads = new URL('../../wasm/wasi/many-threads.wasm', import.meta.url);
  const decoder = new TextDecoder();
  async function run(maxThreads) {
    let stdout = '';
    let stderr = '';
    const { exitCode } = await runWasi(manyThreads, { maxThreads, stdout: (b) => (stdout += decoder.decode(b)), stderr: (b) => (stderr += decoder.decode(b)) });
    return { exitCode, stdout, stderr };
  }
  assert.deepEqual(await run(48), { exitCode: 0, stdout: '48 threads, unique tids\n', stderr: '' });
  const over = await run(47);
  assert.equal(over.exitCode, 3);
  assert.match(over.stderr, /^spawn failed -\d+\n$/);
});
