// Headless Firefox against the static server, as test/browser/smoke.browser.test.mjs does in
// Chromium: the isolation headers make SharedArrayBuffer and blocking worker waits available.
// Needs `npm run build` and Firefox (apt-get install firefox-esr).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openFirefox, runPage, startRepoServer } from './harness.mjs';

const PAGE = '/test/browser/pages/isolation.html';

let firefox;
const servers = {};

before(async () => {
  servers.isolated = await startRepoServer();
  servers.credentialless = await startRepoServer({ coep: 'credentialless' });
  servers.plain = await startRepoServer({ isolation: false });
  firefox = await openFirefox();
});

after(async () => {
  await Promise.allSettled([firefox?.close(), ...Object.values(servers).map((server) => server.close())]);
});

/** The checks a page makes when it is isolated (the page itself awaits Atomics.waitAsync). */
function assertIsolatedResults(results) {
  assert.equal(results.crossOriginIsolated, true);
  assert.equal(results.sharedArrayBuffer, true);
  assert.equal(results.sharedWasmMemory, true);
  assert.equal(results.mainThreadWaitThrows, true, 'Atomics.wait must throw on the page main thread');
  assert.equal(results.readyWait, 'ok');
  assert.equal(results.notifyWoke, 1, 'the worker was parked in Atomics.wait when notified');
  assert.equal(results.workerWaitResult, 'ok');
}

test('Firefox starts headless over WebDriver BiDi', (t) => {
  t.diagnostic(firefox.version);
  assert.match(firefox.version, /^firefox\/\d+/);
});

test('in Firefox: with COOP/COEP require-corp: isolated, and a module worker blocks while the page waits async', async () => {
  const outcome = await runPage(firefox.browser, `${servers.isolated.url}${PAGE}`);
  assert.equal(outcome.ok, true, outcome.error);
  assertIsolatedResults(outcome.results);
});

test('in Firefox: with COEP credentialless: isolated too', async () => {
  const outcome = await runPage(firefox.browser, `${servers.credentialless.url}${PAGE}`);
  assert.equal(outcome.ok, true, outcome.error);
  assertIsolatedResults(outcome.results);
});

test('in Firefox: without the headers: not isolated, no SharedArrayBuffer', async () => {
  const outcome = await runPage(firefox.browser, `${servers.plain.url}${PAGE}`);
  assert.equal(outcome.ok, true, outcome.error);
  assert.deepEqual(outcome.results, { crossOriginIsolated: false, sharedArrayBuffer: false });
});
