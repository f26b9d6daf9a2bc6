// wasi-threads programs in the browser under test: the shared checks (once as the browser is,
// once with Atomics.waitAsync removed so the host falls back to worker messages), and the
// example page's output.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wasiChecks } from '../shared/wasi-checks.mjs';
import { assertPageOk, BROWSER_NAME, openTestBrowser, startRepoServer } from './browser-under-test.mjs';

let browser;
let server;

before(async () => {
  server = await startRepoServer();
  browser = await openTestBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
});

const page = (query) => `${server.url}/test/browser/pages/wasi.html?${query}`;

for (const name of Object.keys(wasiChecks)) {
  test(`${BROWSER_NAME}: ${name}`, async () => {
    assertPageOk(await browser.runPage(page(`only=${encodeURIComponent(name)}`), { timeoutMs: 60_000 }), name);
  });
}

for (const name of Object.keys(wasiChecks)) {
  test(`${BROWSER_NAME} without Atomics.waitAsync: ${name}`, async () => {
    const outcome = await browser.runPage(page(`no-wait-async&only=${encodeURIComponent(name)}`), { timeoutMs: 60_000 });
    assertPageOk(outcome, name);
    assert.equal(outcome.waitAsync, false, 'the page ran without Atomics.waitAsync');
  });
}

test(`${BROWSER_NAME}: the wasi-threads example page shows the C program's output`, async () => {
  const outcome = await browser.runPage(`${server.url}/examples/wasi/`, { timeoutMs: 60_000 });
  assertPageOk(outcome);
  assert.match(outcome.results.text, /out.txt: written by thread 1\nwritten by main/);
});
