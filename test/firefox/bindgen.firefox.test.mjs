// wasm-bindgen pools in headless Firefox: the shared checks (fixture glue and the real
// @jsquash/oxipng wasm-bindgen-rayon build), no worker left running after the pools close, and
// the example pages, as test/browser/bindgen.browser.test.mjs does in Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindgenChecks } from '../shared/bindgen-checks.mjs';
import { openFirefox, runPage, startRepoServer } from './harness.mjs';

let firefox;
let server;

before(async () => {
  server = await startRepoServer();
  firefox = await openFirefox();
});

after(async () => {
  await Promise.allSettled([firefox?.close(), server?.close()]);
});

/** Waits until the page has no dedicated workers left (terminated workers go away asynchronously). */
async function workersLeft(page) {
  for (let tries = 0; tries < 100 && page.workers().length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return page.workers().map((worker) => worker.url());
}

for (const name of Object.keys(bindgenChecks)) {
  test(`in Firefox: ${name}`, async () => {
    const outcome = await runPage(firefox.browser, `${server.url}/test/browser/pages/bindgen.html?only=${encodeURIComponent(name)}`, {
      timeoutMs: 60_000,
      inspect: workersLeft,
    });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
    assert.deepEqual(outcome.inspected, [], 'every worker of the closed pools ended');
  });
}

test('in Firefox: the oxipng example page optimises on 1 and 2 threads with the same bytes', async () => {
  const outcome = await runPage(firefox.browser, `${server.url}/examples/wasm-bindgen/`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.match(outcome.results.text, /noisy 400x300 RGB, 2 thread\(s\): \d+ -> \d+ bytes/);
  assert.match(outcome.results.text, /Same bytes from 1 and 2 threads/);
});

test('in Firefox: plain ES modules in a worker: oxipng\'s rayon pool built by startRayonPool, output identical', async () => {
  const outcome = await runPage(firefox.browser, `${server.url}/test/fixtures/wasm-bindgen/plain/index.html`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.results.sizes.length, 3);
});
