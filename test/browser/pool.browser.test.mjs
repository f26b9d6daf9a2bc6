// The pool in real headless Chromium: the shared checks and the isolation errors (the example
// pages are in demo.browser.test.mjs).
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
