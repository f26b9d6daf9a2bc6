// wasm-bindgen pools in the browser under test: the shared checks (fixture glue and the real
// @jsquash/oxipng wasm-bindgen-rayon build), no worker left running after the pools close, and
// the example page's output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindgenChecks } from '../shared/bindgen-checks.mjs';
import { assertPageOk, BROWSER_NAME, useBrowserAndServer } from './browser-under-test.mjs';

const session = useBrowserAndServer();

/** Waits until the page has no dedicated workers left (terminated workers go away asynchronously). */
async function workersLeft(page) {
  for (let tries = 0; tries < 100 && page.workers().length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return page.workers().map((worker) => worker.url());
}

for (const name of Object.keys(bindgenChecks)) {
  test(`${BROWSER_NAME}: ${name}`, async () => {
    const outcome = await session.browser.runPage(`${session.server.url}/test/browser/pages/bindgen.html?only=${encodeURIComponent(name)}`, {
      timeoutMs: 60_000,
      inspect: workersLeft,
    });
    assertPageOk(outcome, name);
    assert.deepEqual(outcome.inspected, [], 'every worker of the closed pools ended');
  });
}

test(`${BROWSER_NAME}: the oxipng example page optimises on 1 and 2 threads with the same bytes`, async () => {
  const outcome = await session.browser.runPage(`${session.server.url}/examples/wasm-bindgen/`, { timeoutMs: 60_000 });
  assertPageOk(outcome);
  assert.match(outcome.results.text, /noisy 400x300 RGB, 2 thread\(s\): \d+ -> \d+ bytes/);
  assert.match(outcome.results.text, /Same bytes from 1 and 2 threads/);
});

test(`${BROWSER_NAME}: plain ES modules in a worker: oxipng's rayon pool built by startRayonPool, output identical`, async () => {
  const outcome = await session.browser.runPage(`${session.server.url}/test/fixtures/wasm-bindgen/plain/index.html`, { timeoutMs: 60_000 });
  assertPageOk(outcome);
  assert.equal(outcome.results.sizes.length, 3);
});
