// The demo that `npm start` serves (examples/), page by page in Chromium: each page's own
// results are checked, and a screenshot of each is kept in test-output/screenshots/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openBrowser, REPO_ROOT, runPage, startRepoServer } from './harness.mjs';

const screenshots = join(REPO_ROOT, 'test-output/screenshots');
let browser;
let server;

before(async () => {
  await mkdir(screenshots, { recursive: true });
  server = await startRepoServer();
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

/** Opens a demo page, waits for its results, and keeps a full-page screenshot. */
function openDemo(path, name, timeoutMs = 90_000) {
  return runPage(browser.context, `${server.url}${path}`, {
    timeoutMs,
    inspect: (page) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true }),
  });
}

test('in Chromium: the demo home page is isolated and links every demo', async () => {
  const outcome = await openDemo('/examples/', 'home');
  assert.equal(outcome.ok, true, outcome.error);
  for (const link of ['./classic/', './mandelbrot/', './wasi/', './wasm-bindgen/']) assert.ok(outcome.results.links.includes(link), link);
});

test('in Chromium: the classic three steps', async () => {
  const outcome = await openDemo('/examples/classic/', 'classic');
  assert.equal(outcome.ok, true, outcome.error);
  const { mainThread, oneWorker, greetings, total, expected } = outcome.results;
  assert.equal(mainThread, 'hello from thread 0');
  assert.equal(oneWorker, 'hello from thread 0');
  assert.deepEqual(greetings, greetings.map((_, i) => `hello from thread ${i}`));
  assert.equal(total, expected);
});

test('in Chromium: the Mandelbrot renders on 1…N threads with one checksum, every thread drawing rows', async () => {
  const outcome = await openDemo('/examples/mandelbrot/?size=384&threads=3', 'mandelbrot');
  assert.equal(outcome.ok, true, outcome.error);
  assert.deepEqual(outcome.results.map((r) => r.threads), [1, 2, 3]);
  assert.equal(new Set(outcome.results.map((r) => r.checksum)).size, 1);
  for (const { threads, rowsByThread } of outcome.results) {
    assert.equal(rowsByThread.length, threads);
    assert.equal(rowsByThread.reduce((a, b) => a + b, 0), 384);
  }
});

test('in Chromium: the wasi-threads C program shows its output', async () => {
  const outcome = await openDemo('/examples/wasi/', 'wasi');
  assert.equal(outcome.ok, true, outcome.error);
  assert.match(outcome.results.text, /out.txt: written by thread 1\nwritten by main/);
});

test('in Chromium: oxipng optimises on 1 and 2 threads with the same bytes', async () => {
  const outcome = await openDemo('/examples/wasm-bindgen/', 'oxipng');
  assert.equal(outcome.ok, true, outcome.error);
  assert.match(outcome.results.text, /noisy 400x300 RGB, 2 thread\(s\): \d+ -> \d+ bytes/);
  assert.match(outcome.results.text, /Same bytes from 1 and 2 threads/);
});
