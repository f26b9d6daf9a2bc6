// wasm-bindgen pools in real headless Chromium: the shared checks (fixture glue and the real
// @jsquash/oxipng wasm-bindgen-rayon build), and no worker left running after the pools close.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindgenChecks } from '../shared/bindgen-checks.mjs';
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

/** Waits until the page has no dedicated workers left (terminated workers go away asynchronously). */
async function workersLeft(page) {
  for (let tries = 0; tries < 100 && page.workers().length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return page.workers().map((worker) => worker.url());
}

for (const name of Object.keys(bindgenChecks)) {
  test(`in Chromium: ${name}`, async () => {
    const outcome = await runPage(browser.context, `${server.url}/test/browser/pages/bindgen.html?only=${encodeURIComponent(name)}`, {
      timeoutMs: 60_000,
      inspect: workersLeft,
    });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
    assert.deepEqual(outcome.inspected, [], 'every worker of the closed pools ended');
  });
}

test('in Chromium: plain ES modules in a worker: oxipng\'s rayon pool built by startRayonPool, output identical', async () => {
  const outcome = await runPage(browser.context, `${server.url}/test/fixtures/wasm-bindgen/plain/index.html`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.sizes.length, 3);
});
