// wasi-threads programs in real headless Chromium: the shared checks (the example page is in
// demo.browser.test.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wasiChecks } from '../shared/wasi-checks.mjs';
import { openBrowser, runPage, startRepoServer } from './harness.mjs';

let browser;
let server;

before(async () => {
  server = await startRepoServer();
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

for (const name of Object.keys(wasiChecks)) {
  test(`in Chromium: ${name}`, async () => {
    const outcome = await runPage(browser.context, `${server.url}/test/browser/pages/wasi.html?only=${encodeURIComponent(name)}`, { timeoutMs: 60_000 });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
  });
}
