// The pool in real headless Chromium: the shared checks, the examples, and the isolation error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { poolChecks } from '../shared/pool-checks.mjs';
import { openBrowser, runPage, startRepoServer } from './harness.mjs';

let browser;
let isolated;
let plain;

before(async () => {
  isolated = await startRepoServer();
  plain = await startRepoServer({ isolation: false });
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), isolated?.close(), plain?.close()]);
});

for (const name of Object.keys(poolChecks)) {
  test(`in Chromium: ${name}`, async () => {
    const outcome = await runPage(browser.context, `${isolated.url}/test/browser/pages/pool.html?only=${encodeURIComponent(name)}`);
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
  });
}

test('in Chromium: a page without COOP/COEP gets NotCrossOriginIsolatedError naming both headers', async () => {
  const outcome = await runPage(browser.context, `${plain.url}/test/browser/pages/not-isolated.html`);
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.code, 'WEFT_NOT_ISOLATED');
  assert.equal(outcome.results.crossOriginIsolated, false);
  assert.match(outcome.results.message, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(outcome.results.message, /Cross-Origin-Embedder-Policy: require-corp/);
});

test('in Chromium: an isolated page without SharedArrayBuffer gets SharedMemoryUnavailableError', async () => {
  const outcome = await runPage(browser.context, `${isolated.url}/test/browser/pages/no-shared-memory.html`);
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.code, 'WEFT_NO_SHARED_MEMORY');
});

test('in Chromium: the classic three steps example', async () => {
  const outcome = await runPage(browser.context, `${isolated.url}/examples/classic/`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  const { mainThread, oneWorker, greetings, total, expected } = outcome.results;
  assert.equal(mainThread, 'hello from thread 0');
  assert.equal(oneWorker, 'hello from thread 0');
  assert.deepEqual(greetings, greetings.map((_, i) => `hello from thread ${i}`));
  assert.equal(total, expected);
});

test('in Chromium: the Mandelbrot example has one checksum for 1..N threads', async () => {
  const outcome = await runPage(browser.context, `${isolated.url}/examples/mandelbrot/?size=384`, { timeoutMs: 90_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.ok(outcome.results.length >= 2);
  assert.equal(new Set(outcome.results.map((r) => r.checksum)).size, 1);
});
