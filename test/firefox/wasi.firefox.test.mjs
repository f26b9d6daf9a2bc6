// wasi-threads programs in headless Firefox: the shared checks (once as the browser is, once with
// Atomics.waitAsync removed so the host falls back to worker messages), and the example page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wasiChecks } from '../shared/wasi-checks.mjs';
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

const page = (query) => `${server.url}/test/browser/pages/wasi.html?${query}`;

for (const name of Object.keys(wasiChecks)) {
  test(`in Firefox: ${name}`, async () => {
    const outcome = await runPage(firefox.browser, page(`only=${encodeURIComponent(name)}`), { timeoutMs: 60_000 });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
  });
}

for (const name of Object.keys(wasiChecks)) {
  test(`in Firefox without Atomics.waitAsync: ${name}`, async () => {
    const outcome = await runPage(firefox.browser, page(`no-wait-async&only=${encodeURIComponent(name)}`), { timeoutMs: 60_000 });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.results[name], 'ok');
    assert.equal(outcome.waitAsync, false, 'the page ran without Atomics.waitAsync');
  });
}

test('in Firefox: the wasi-threads example page shows the C program\'s output', async () => {
  const outcome = await runPage(firefox.browser, `${server.url}/examples/wasi/`, { timeoutMs: 60_000 });
  assert.equal(outcome.ok, true, outcome.error);
  assert.match(outcome.results.text, /out.txt: written by thread 1\nwritten by main/);
});
