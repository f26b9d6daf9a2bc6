// The README's snippets are the example files verbatim, and the examples run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);

function runExample(path, args = [], nodeArgs = []) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, fileURLToPath(new URL(path, root)), ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('every README snippet marked with a file is that file, verbatim', async () => {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const snippets = [...readme.matchAll(/<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];
  assert.ok(snippets.length >= 1, 'the README has marked snippets');
  for (const [, file, code] of snippets) {
    assert.equal(code, await readFile(new URL(file, root), 'utf8'), `README snippet of ${file} drifted`);
  }
});

test('the quick start runs and prints exact results', async () => {
  const output = await runExample('examples/quick-start.mjs');
  const [, total, threads] = output.match(/total: (\d+) from (\d+) threads/);
  assert.equal(Number(total), 1000 * Number(threads));
  assert.match(output, /sum of 0\.\.9999: 49995000/);
});

test('the classic three steps example counts exactly on 3 threads', async () => {
  const output = await runExample('examples/classic/node.mjs', ['3']);
  assert.match(output, /1\. main thread: hello from thread 0/);
  assert.match(output, /2\. one worker: +hello from thread 0/);
  for (const id of [0, 1, 2]) assert.match(output, new RegExp(`3\\. hello from thread ${id}`));
  assert.match(output, /3 threads counted 300000 \(expected 300000\)/);
});

test('the Mandelbrot example gives one checksum for every thread count', async () => {
  const output = await runExample('examples/mandelbrot/node.mjs', ['256']);
  const checksums = [...output.matchAll(/checksum (\d+)/g)].map((m) => m[1]);
  assert.ok(checksums.length >= 2, output);
  assert.equal(new Set(checksums).size, 1);
});

test('the wasi-threads example counts the same primes on 1 and N threads', async () => {
  const output = await runExample('examples/wasi/node.mjs', ['300000']);
  const counts = [...output.matchAll(/primes below 300000: (\d+) \(exit 0/g)].map((m) => m[1]);
  assert.deepEqual(counts, ['25997', '25997'], output);
});

test('the wasm-bindgen seed runs entry() once on each of 4 threads', async () => {
  const output = await runExample('examples/wasm-bindgen/seed.mjs');
  const threads = [...output.matchAll(/hello from wasm-bindgen thread (\d+)/g)].map((m) => Number(m[1])).sort();
  assert.deepEqual(threads, [0, 1, 2, 3], output);
  assert.match(output, /on one free thread: 42/);
});

test('the oxipng example gives the same size on 1 and N rayon threads', async () => {
  const output = await runExample('examples/wasm-bindgen/oxipng.mjs');
  const sizes = [...output.matchAll(/rayon thread\(s\): (\d+) -> (\d+) bytes/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(sizes.length, 2, output);
  assert.deepEqual(sizes[0], sizes[1]);
  assert.ok(sizes[0][1] < sizes[0][0], output);
});

test('oxipng\'s own initThreadPool runs with the Node hook from the README', async () => {
  const output = await runExample('examples/wasm-bindgen/oxipng-dropin.mjs', [], ['--import', 'weft/wasm-bindgen-rayon/register']);
  assert.equal([...output.matchAll(/: \d+ -> \d+ bytes/g)].length, 3, output);
});

test('the web-worker example runs tfhe\'s own browser glue and thread pool in Node, and the process exits by itself', async () => {
  const output = await runExample('examples/web-worker/tfhe.mjs');
  assert.match(output, /server key: 60227967 bytes in \d+ ms on \d+ threads/);
  assert.match(output, /decrypted: 42/);
});

test('the tfhe classes example encrypts and decrypts through remote handles', async () => {
  const output = await runExample('examples/wasm-bindgen/tfhe-classes.mjs');
  assert.match(output, /decrypted on the key's thread: 42/);
  assert.match(output, /client key: 31267 bytes/);
});
