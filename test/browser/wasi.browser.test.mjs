// wasi-threads programs in the browser under test: the shared checks (once as the browser is,
// once with Atomics.waitAsync removed so the host falls back to worker messages), and the
// example page's output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wasiChecks } from '../shared/wasi-checks.mjs';
import { assertPageOk, BROWSER_NAME, useBrowserAndServer } from './browser-under-test.mjs';

const session = useBrowserAndServer();

const page = (query) => `${session.server.url}/test/browser/pages/wasi.html?${query}`;

for (const name of Object.keys(wasiChecks)) {
  test(`${BROWSER_NAME}: ${name}`, async () => {
    assertPageOk(await session.browser.runPage(page(`only=${encodeURIComponent(name)}`), { timeoutMs: 60_000 }), name);
  });
}

for (const name of Object.keys(wasiChecks)) {
  test(`${BROWSER_NAME} without Atomics.waitAsync: ${name}`, async () => {
    const outcome = await session.browser.runPage(page(`no-wait-async&only=${encodeURIComponent(name)}`), { timeoutMs: 60_000 });
    assertPageOk(outcome, name);
    assert.equal(outcome.waitAsync, false, 'the page ran without Atomics.waitAsync');
  });
}

test(`${BROWSER_NAME}: the wasi-threads example page shows the C program's output`, async () => {
  const outcome = await session.browser.runPage(`${session.server.url}/examples/wasi/`, { timeoutMs: 60_000 });
  assertPageOk(outcome);
  assert.match(outcome.results.text, /out.txt: written by thread 1\nwritten by main/);
});
