// A plain wasm32-wasip1 program far bigger than the test programs (code, data and custom sections
// of several MB each), through runWasi and through `weft run`: its memory is rewritten into a
// shared import, and the program runs and prints.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvalidModuleError, runWasi } from '../../dist/node.js';
import { largeWasip1Module, listSections } from '../fixtures/wasi/large-wasip1.mjs';

const cli = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));
const MiB = 1024 * 1024;
const message = 'hello from a 10 MB program\n';
const bytes = largeWasip1Module({ codeBytes: 4 * MiB, dataBytes: 4 * MiB, customBytes: 2 * MiB, message });
const directory = await mkdtemp(join(tmpdir(), 'weft-large-'));
after(() => rm(directory, { recursive: true, force: true }));
// Written before any test is registered: on Node 20 the root's after() runs as soon as the tests
// registered so far have finished, so a top-level await between tests could remove the folder.
const file = join(directory, 'large.wasm');
await writeFile(file, bytes);

test('runWasi runs a plain wasip1 program with sections of several MB', async () => {
  let stdout = '';
  const exit = await runWasi(bytes, { stdout: (chunk) => (stdout += new TextDecoder().decode(chunk)) });
  assert.deepEqual([exit.exitCode, stdout], [0, message]);
});

test('runWasi runs it from a path (the loader leaves room to rewrite it in place)', async () => {
  let stdout = '';
  const exit = await runWasi(file, { stdout: (chunk) => (stdout += new TextDecoder().decode(chunk)) });
  assert.deepEqual([exit.exitCode, stdout], [0, message]);
});

test('weft run runs it from a file', async () => {
  const result = await new Promise((resolve) => {
    execFile(process.execPath, [cli, 'run', file], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
    });
  });
  assert.deepEqual([result.code, result.stdout, result.stderr], [0, message, '']);
});

test('a broken binary is compiled as given, so the engine\'s error names its own offsets', async () => {
  // A memory section that runs past the end: the rewrite cannot read it, so it is left alone.
  const broken = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x0a, 0x01]);
  let engineMessage;
  await WebAssembly.compile(broken).catch((error) => (engineMessage = error.message));
  await assert.rejects(runWasi(broken), (error) => error instanceof InvalidModuleError && error.message.includes(engineMessage));
});

test('a file whose code does not compile is reported with the engine\'s words about the file, after an in-place rewrite', async () => {
  const broken = largeWasip1Module({ codeBytes: 4096 });
  const code = listSections(broken).find((s) => s.id === 10);
  broken[code.start + 10] = 0xff; // an opcode that does not exist, among _start's nops
  const path = join(directory, 'broken.wasm');
  await writeFile(path, broken);
  let engineMessage;
  await WebAssembly.compile(await readFile(path)).catch((error) => (engineMessage = error.message));
  assert.match(engineMessage, /@\+\d+/, 'the message names an offset');
  await assert.rejects(runWasi(path), (error) => error instanceof InvalidModuleError && error.message.includes(engineMessage));
});
