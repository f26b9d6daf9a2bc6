// Headless Chromium against the static server: the isolation headers make SharedArrayBuffer and
// blocking worker waits available; without them the page is not isolated.
// Needs `npm run build` (the server comes from dist/) and Chromium (apt-get install chromium).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, runPage, startRepoServer } from './harness.mjs';

const PAGE = '/test/browser/pages/isolation.html';

/** @type {Awaited<ReturnType<typeof openBrowser>> | undefined} */
let browser;
/** @type {Record<string, Awaited<ReturnType<typeof startRepoServer>>>} */
const servers = {};

before(async () => {
  servers.isolated = await startRepoServer();
  servers.credentialless = await startRepoServer({ coep: 'credentialless' });
  servers.plain = await startRepoServer({ isolation: false });
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), ...Object.values(servers).map((server) => server.close())]);
});

/** The checks a page makes when it is isolated. */
function assertIsolatedResults(results) {
  assert.equal(results.crossOriginIsolated, true);
  assert.equal(results.sharedArrayBuffer, true);
  assert.equal(results.sharedWasmMemory, true);
  assert.equal(results.mainThreadWaitThrows, true, 'Atomics.wait must throw on the page main thread');
  assert.equal(results.waitAsyncWasAsync, true);
  assert.equal(results.readyWait, 'ok');
  assert.equal(results.notifyWoke, 1, 'the worker was parked in Atomics.wait when notified');
  assert.equal(results.workerWaitResult, 'ok');
}

test('with COOP/COEP require-corp: isolated, and a module worker blocks while the page waits async', async () => {
  const outcome = await runPage(browser.context, `${servers.isolated.url}${PAGE}`);
  assert.equal(outcome.ok, true, outcome.error);
  assertIsolatedResults(outcome.results);
});

test('with COEP credentialless: isolated too', async () => {
  const outcome = await runPage(browser.context, `${servers.credentialless.url}${PAGE}`);
  assert.equal(outcome.ok, true, outcome.error);
  assertIsolatedResults(outcome.results);
});

test('without the headers: not isolated, no SharedArrayBuffer', async () => {
  const outcome = await runPage(browser.context, `${servers.plain.url}${PAGE}`);
  assert.equal(outcome.ok, true, outcome.error);
  assert.deepEqual(outcome.results, { crossOriginIsolated: false, sharedArrayBuffer: false });
});
