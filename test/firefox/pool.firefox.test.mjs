// The pool in headless Firefox: the shared checks (once as the browser is, once with
// Atomics.waitAsync removed so weft falls back to its message wake mode), the examples, and the
// isolation errors, as test/browser/pool.browser.test.mjs does in Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { poolChecks } from '../shared/pool-checks.mjs';
import { openFirefox, runPage, startRepoServer } from './harness.mjs';

let firefox;
let isolated;
let plain;

before(async () => {
  isolated = await startRepoServer();
  plain = await startRepoServer({ isolation: false });
  firefox = await openFirefox();
});

after(async () => {
  await Promise.allSettled([firefox?.close(), isolated?.close(), plain?.close()]);
});

const page = (query) => `${isolated.url}/test/browser/pages/pool.html?${query}`;

for (const name of Object.keys(poolChecks)) {
  test(`in Firefox: ${name}`, async () => {
    const outcome = await runPage(firefox.browser, page(`only=${encodeURIComponent(name)}`));
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
  });
}

for (const name of Object.keys(poolChecks)) {
  test(`in Firefox without Atomics.waitAsync: ${name}`, async () => {
    const outcome = await runPage(firefox.browser, page(`no-wait-async&only=${encodeURIComponent(name)}`));
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
    assert.equal(outcome.waitAsync, false, 'the page ran without Atomics.waitAsync');
  });
}

test('in Firefox: a page without COOP/COEP gets NotCrossOriginIsolatedError naming both headers', async () => {
  const outcome = await runPage(firefox.browser, `${plain.url}/test/browser/pages/not-isolated.html`);
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.code, 'WEFT_NOT_ISOLATED');
  assert.equal(outcome.results.crossOriginIsolated, false);
  assert.match(outcome.results.message, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(outcome.results.message, /Cross-Origin-Embedder-Policy: require-corp/);
});

test('in Firefox: an isolated page without SharedArrayBuffer gets SharedMemoryUnavailableError', async () => {
  const outcome = await runPage(firefox.browser, `${isolated.url}/test/browser/pages/no-shared-memory.html`);
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.code, 'WEFT_NO_SHARED_MEMORY');
});

test('in Firefox: the classic three steps example', async () => {
  const outcome = await runPage(firefox.browser, `${isolated.url}/examples/classic/`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  const { mainThread, oneWorker, greetings, total, expected } = outcome.results;
  assert.equal(mainThread, 'hello from thread 0');
  assert.equal(oneWorker, 'hello from thread 0');
  assert.deepEqual(greetings, greetings.map((_, i) => `hello from thread ${i}`));
  assert.equal(total, expected);
});

test('in Firefox: the Mandelbrot example has one checksum for 1..N threads', async () => {
  const outcome = await runPage(firefox.browser, `${isolated.url}/examples/mandelbrot/?size=384`, { timeoutMs: 90_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.ok(outcome.results.length >= 2);
  assert.equal(new Set(outcome.results.map((r) => r.checksum)).size, 1);
});
