// The pool in the browser under test: the shared checks (once as the browser is, once with
// Atomics.waitAsync removed so weft falls back to its message wake mode), the isolation errors,
// and the pool examples' results (their looks are checked in demo.chromium.test.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mandelbrotChecksum } from '../shared/mandelbrot-reference.mjs';
import { poolChecks } from '../shared/pool-checks.mjs';
import { assertPageOk, BROWSER_NAME, openTestBrowser, startRepoServer } from './browser-under-test.mjs';

let browser;
let isolated;
let plain;

before(async () => {
  isolated = await startRepoServer();
  plain = await startRepoServer({ isolation: false });
  browser = await openTestBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), isolated?.close(), plain?.close()]);
});

const page = (query) => `${isolated.url}/test/browser/pages/pool.html?${query}`;

for (const name of Object.keys(poolChecks)) {
  test(`${BROWSER_NAME}: ${name}`, async () => {
    assertPageOk(await browser.runPage(page(`only=${encodeURIComponent(name)}`)), name);
  });
}

for (const name of Object.keys(poolChecks)) {
  test(`${BROWSER_NAME} without Atomics.waitAsync: ${name}`, async () => {
    const outcome = await browser.runPage(page(`no-wait-async&only=${encodeURIComponent(name)}`));
    assertPageOk(outcome, name);
    assert.equal(outcome.waitAsync, false, 'the page ran without Atomics.waitAsync');
  });
}

test(`${BROWSER_NAME}: a page without COOP/COEP gets NotCrossOriginIsolatedError naming both headers`, async () => {
  const outcome = await browser.runPage(`${plain.url}/test/browser/pages/not-isolated.html`);
  assertPageOk(outcome);
  assert.equal(outcome.results.code, 'WEFT_NOT_ISOLATED');
  assert.equal(outcome.results.crossOriginIsolated, false);
  assert.match(outcome.results.message, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(outcome.results.message, /Cross-Origin-Embedder-Policy: require-corp/);
});

test(`${BROWSER_NAME}: an isolated page without SharedArrayBuffer gets SharedMemoryUnavailableError`, async () => {
  const outcome = await browser.runPage(`${isolated.url}/test/browser/pages/no-shared-memory.html`);
  assertPageOk(outcome);
  assert.equal(outcome.results.code, 'WEFT_NO_SHARED_MEMORY');
});

test(`${BROWSER_NAME}: the classic three steps example`, async () => {
  const outcome = await browser.runPage(`${isolated.url}/examples/classic/`, { timeoutMs: 60_000 });
  assertPageOk(outcome);
  const { mainThread, oneWorker, greetings, total, expected } = outcome.results;
  assert.equal(mainThread, 'hello from thread 0');
  assert.equal(oneWorker, 'hello from thread 0');
  assert.ok(greetings.length >= 1 && greetings.length === expected / 100_000, `${greetings.length} greetings for ${expected / 100_000} threads`);
  assert.deepEqual(greetings, greetings.map((_, i) => `hello from thread ${i}`));
  assert.equal(total, expected);
});

test(`${BROWSER_NAME}: the Mandelbrot example has one checksum for 1..N threads`, async () => {
  const outcome = await browser.runPage(`${isolated.url}/examples/mandelbrot/?size=384`, { timeoutMs: 90_000 });
  assertPageOk(outcome);
  assert.ok(outcome.results.length >= 2);
  assert.deepEqual(outcome.results.map((r) => r.checksum), outcome.results.map(() => mandelbrotChecksum(384, 384, 512)));
});
