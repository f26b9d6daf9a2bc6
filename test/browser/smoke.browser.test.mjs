// The browser under test (browser-under-test.mjs) against the static server: the isolation
// headers make SharedArrayBuffer and blocking worker waits available; without them the page is
// not isolated. Needs `npm run build` (the server comes from dist/).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertPageOk, BROWSER_NAME, openTestBrowser, startRepoServer } from './browser-under-test.mjs';

const PAGE = '/test/browser/pages/isolation.html';

/** @type {import('./browser-under-test.mjs').TestBrowser | undefined} */
let browser;
/** @type {Record<string, Awaited<ReturnType<typeof startRepoServer>>>} */
const servers = {};

before(async () => {
  servers.isolated = await startRepoServer();
  servers.credentialless = await startRepoServer({ coep: 'credentialless' });
  servers.plain = await startRepoServer({ isolation: false });
  browser = await openTestBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), ...Object.values(servers).map((server) => server.close())]);
});

/** The checks a page makes when it is isolated (the page itself awaits Atomics.waitAsync). */
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

test(`${BROWSER_NAME} starts headless`, (t) => {
  t.diagnostic(browser.version);
  assert.match(browser.version, /\d+\.\d+/);
});

test(`${BROWSER_NAME}: with COOP/COEP require-corp: isolated, and a module worker blocks while the page waits async`, async () => {
  const outcome = await browser.runPage(`${servers.isolated.url}${PAGE}`);
  assertPageOk(outcome);
  assertIsolatedResults(outcome.results);
});

test(`${BROWSER_NAME}: with COEP credentialless: isolated too`, async () => {
  const outcome = await browser.runPage(`${servers.credentialless.url}${PAGE}`);
  assertPageOk(outcome);
  assertIsolatedResults(outcome.results);
});

test(`${BROWSER_NAME}: without the headers: not isolated, no SharedArrayBuffer`, async () => {
  const outcome = await browser.runPage(`${servers.plain.url}${PAGE}`);
  assertPageOk(outcome);
  assert.deepEqual(outcome.results, { crossOriginIsolated: false, sharedArrayBuffer: false });
});
