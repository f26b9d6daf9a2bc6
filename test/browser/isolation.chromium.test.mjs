// Cross-origin isolation tools in headless Chromium: the service worker (weft/isolation-sw.js)
// isolates a page whose host sends no headers after at most one reload, never loops, and
// admits cross-origin resources with credentialless; explainIsolation() names missing headers
// and blocked resources, and says when a page is isolated; Document-Isolation-Policy isolates
// a page for weft pools. Needs `npm run build` and Chromium (apt-get install chromium).
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import express from 'express';
import { createIsolationMiddleware } from '../../dist/tooling/middleware.js';
import { assertPageOk, openBrowser, REPO_ROOT, runPage, startRepoServer } from './harness.mjs';

const SW_FILE = path.join(REPO_ROOT, 'dist/isolation/isolation-sw.js');
const PAGES = '/test/browser/pages';
/** How long a page is watched after it reported, to catch a late reload. */
const SETTLE_MS = 1500;

let browser;
const servers = [];

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await Promise.allSettled([browser?.close(), ...servers.map((server) => server.close())]);
});

/**
 * A static host that sends no isolation headers (as GitHub Pages): the repository, plus
 * dist/isolation/isolation-sw.js at /isolation-sw.js, as a user would copy it to the site root.
 * `setup(app)` may add middleware first. Each call is a new origin, so no service worker of an
 * earlier test is registered there.
 */
async function startHost(setup) {
  const app = express();
  setup?.(app);
  app.get('/isolation-sw.js', (req, res) => res.sendFile(SW_FILE));
  app.use(express.static(REPO_ROOT));
  const server = http.createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle = {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
  servers.push(handle);
  return handle;
}

/**
 * Opens `url`, counts the top-level navigations (the first load and every reload), and waits for
 * `window.__weftTest`, across reloads, then SETTLE_MS more.
 */
async function visit(url, { timeoutMs = 30_000, inspect } = {}) {
  const page = await browser.context.newPage();
  const logs = [];
  let navigations = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations += 1;
  });
  page.on('console', (message) => logs.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => logs.push(`[pageerror] ${error.message}`));
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    const outcome = await waitForOutcome(page, timeoutMs);
    await page.waitForTimeout(SETTLE_MS);
    const inspected = inspect ? await inspect(page) : undefined;
    return { ...outcome, navigations, inspected, logs };
  } catch (error) {
    throw new Error(`${url}: ${error.message}\n${logs.join('\n')}`, { cause: error });
  } finally {
    await page.close().catch(() => {});
  }
}

/** Polls for window.__weftTest; a reload in between only means polling the next document. */
async function waitForOutcome(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const outcome = await page.evaluate(() => globalThis.__weftTest).catch(() => undefined);
    if (outcome !== undefined) return outcome;
    await page.waitForTimeout(50);
  }
  throw new Error(`window.__weftTest was not set within ${timeoutMs} ms`);
}

/** Runs explainIsolation() in an open page. */
function explainIn(page) {
  return page.evaluate(async () => (await import('/dist/isolation/index.js')).explainIsolation());
}

test('service worker: a page whose host sends no headers is isolated after one reload and runs a pool (examples/isolation/)', async () => {
  const host = await startHost();
  const first = await visit(`${host.url}/examples/isolation/`, {
    inspect: async (page) => ({ report: await explainIn(page) }),
  });
  assert.equal(first.ok, true, `${first.error}\n${first.logs.join('\n')}`);
  assert.equal(first.navigations, 2, 'one load and exactly one reload');
  assert.equal(first.results.total, 1000 * first.results.threads);
  assert.equal(first.inspected.report.isolated, true);
  assert.equal(first.inspected.report.mechanism, 'service-worker');
  assert.equal(first.inspected.report.document.coop, undefined, 'the host itself still sends no COOP');

  // The worker now serves every page of the origin: the next visit is isolated at once.
  const again = await visit(`${host.url}/examples/isolation/`, {
    inspect: (page) => page.evaluate(async () => {
      const { unregisterIsolationServiceWorker } = await import('/dist/isolation/index.js');
      const removed = await unregisterIsolationServiceWorker();
      return { removed, left: (await navigator.serviceWorker.getRegistrations()).length };
    }),
  });
  assert.equal(again.ok, true, again.error);
  assert.equal(again.navigations, 1, 'no reload once the worker is installed');
  assert.deepEqual(again.inspected, { removed: 1, left: 0 });
});

test('service worker: asking for another COEP on an isolated page switches the installed worker without a reload', async () => {
  const host = await startHost();
  const register = (coep) => `${host.url}${PAGES}/sw-register.html?url=${encodeURIComponent('/isolation-sw.js')}${coep ? `&coep=${coep}` : ''}`;
  const first = await visit(register());
  assert.equal(first.results.status, 'isolated', first.results.reason);
  assert.equal(first.navigations, 2);
  const switching = await visit(register('credentialless'));
  assert.equal(switching.results.status, 'isolated');
  assert.equal(switching.navigations, 1, 'no reload to switch');
  const after = await visit(register('credentialless'), {
    inspect: (page) => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL),
  });
  assert.equal(after.results.status, 'isolated');
  assert.match(after.inspected, /\/isolation-sw\.js\?coep=credentialless$/);
});

test('service worker: a worker that cannot isolate the page gets one reload, then "failed", and no loop', async () => {
  const host = await startHost();
  const outcome = await visit(`${host.url}${PAGES}/sw-register.html?url=${encodeURIComponent('./noop-sw.js')}`);
  assertPageOk(outcome);
  assert.equal(outcome.results.status, 'failed');
  assert.match(outcome.results.reason, /reloaded once under the service worker and is still not cross-origin isolated/);
  assert.equal(outcome.results.crossOriginIsolated, false);
  assert.equal(outcome.navigations, 2, 'exactly one reload');
});

test('service worker: a worker that cannot be registered gives "failed" without any reload', async () => {
  const host = await startHost();
  const outcome = await visit(`${host.url}${PAGES}/sw-register.html?url=${encodeURIComponent('/no-such-sw.js')}`);
  assertPageOk(outcome);
  assert.equal(outcome.results.status, 'failed');
  assert.match(outcome.results.reason, /Registering the service worker .*\/no-such-sw\.js failed/);
  assert.equal(outcome.navigations, 1);
});

test('service worker: on a page that is already isolated it does nothing', async () => {
  const host = await startHost((app) => app.use(createIsolationMiddleware()));
  const outcome = await visit(`${host.url}${PAGES}/sw-register.html?url=${encodeURIComponent('/isolation-sw.js')}`, {
    inspect: (page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length),
  });
  assertPageOk(outcome);
  assert.equal(outcome.results.status, 'isolated');
  assert.equal(outcome.navigations, 1);
  assert.equal(outcome.inspected, 0, 'no worker was registered');
});

test('service worker: the one-line script tag with data-coep="credentialless" isolates and admits a cross-origin resource without CORP', async () => {
  const host = await startHost();
  const other = await startRepoServer({ isolation: false }); // another origin, no CORP header
  servers.push(other);
  const outcome = await visit(`${host.url}${PAGES}/sw-script-tag.html?other=${encodeURIComponent(`${other.url}/examples/style.css`)}`);
  assertPageOk(outcome);
  assert.equal(outcome.results.status, 'isolated');
  assert.equal(outcome.results.coep, undefined, 'the isolated page registered nothing more');
  assert.equal(outcome.results.crossOriginIsolated, true);
  assert.equal(outcome.results.otherLoads, true, 'COEP credentialless lets a no-cors resource without CORP in');
  assert.equal(outcome.navigations, 2);
});

test('explainIsolation: a page served without headers is told both are missing', async () => {
  const host = await startHost();
  const outcome = await runPage(browser.context, `${host.url}${PAGES}/explain.html`);
  assertPageOk(outcome);
  const { report } = outcome.results;
  assert.equal(report.isolated, false);
  assert.deepEqual(report.problems.map((problem) => problem.code), ['coop-missing', 'coep-missing']);
  assert.match(report.text, /not cross-origin isolated/);
  assert.match(report.text, /Cross-Origin-Opener-Policy: \(missing\)/);
  assert.match(report.text, /Send "Cross-Origin-Opener-Policy: same-origin"/);
  assert.match(report.text, /Send "Cross-Origin-Embedder-Policy: require-corp"/);
  assert.match(report.text, /Document-Isolation-Policy: isolate-and-require-corp/);
});

test('explainIsolation: with COOP alone it names only COEP, and a wrong COEP value by its value', async () => {
  const coopOnly = await startHost((app) => app.use((req, res, next) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  }));
  const first = await runPage(browser.context, `${coopOnly.url}${PAGES}/explain.html`);
  assert.equal(first.ok, true, first.error);
  assert.deepEqual(first.results.report.problems.map((problem) => problem.code), ['coep-missing']);
  assert.doesNotMatch(first.results.report.text, /without Cross-Origin-Opener-Policy/);

  const wrong = await startHost((app) => app.use((req, res, next) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    res.setHeader('Cross-Origin-Embedder-Policy', 'unsafe-none');
    next();
  }));
  const second = await runPage(browser.context, `${wrong.url}${PAGES}/explain.html`);
  assert.deepEqual(second.results.report.problems.map((problem) => problem.code), ['coop-value', 'coep-value']);
  assert.match(second.results.report.text, /"Cross-Origin-Opener-Policy: same-origin-allow-popups"; isolation needs "same-origin"/);
});

test('explainIsolation: on an isolated page it names the cross-origin resource that COEP require-corp blocks', async () => {
  const isolated = await startRepoServer();
  servers.push(isolated);
  const noCorp = await startRepoServer({ isolation: false });
  servers.push(noCorp);
  const withCorp = await startHost((app) => app.use(createIsolationMiddleware({ corp: 'cross-origin' })));
  const blocked = `${noCorp.url}/examples/style.css`;
  const allowed = `${withCorp.url}/examples/style.css`;
  const outcome = await runPage(browser.context,
    `${isolated.url}${PAGES}/explain.html?img=${encodeURIComponent(blocked)}&img=${encodeURIComponent(allowed)}`);
  assertPageOk(outcome);
  const { report } = outcome.results;
  assert.equal(report.isolated, true);
  const byUrl = Object.fromEntries(report.resources.map((resource) => [resource.url, resource]));
  assert.equal(byUrl[blocked]?.status, 'blocked', JSON.stringify(report.resources));
  assert.equal(byUrl[blocked].loadedBy, 'img');
  assert.match(byUrl[blocked].reason, /no Cross-Origin-Resource-Policy/);
  assert.equal(byUrl[allowed]?.status, 'allowed', JSON.stringify(report.resources));
  assert.deepEqual(report.problems.map((problem) => problem.code), ['resource-blocked']);
  assert.ok(report.text.includes(blocked), report.text);
  assert.ok(!report.text.includes(allowed), report.text);
});

test('explainIsolation: an isolated page is told it is isolated, and how', async () => {
  const isolated = await startRepoServer();
  servers.push(isolated);
  const outcome = await runPage(browser.context, `${isolated.url}${PAGES}/explain.html`);
  assertPageOk(outcome);
  const { report } = outcome.results;
  assert.equal(report.isolated, true);
  assert.equal(report.mechanism, 'coop-coep');
  assert.deepEqual(report.problems, []);
  assert.match(report.text, /^This page is cross-origin isolated \(by its Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers\)/);
});

test('Document-Isolation-Policy alone (policy: "document-isolation-policy") isolates a page for a weft pool in Chromium', async () => {
  const host = await startHost((app) => app.use(createIsolationMiddleware({ policy: 'document-isolation-policy' })));
  const outcome = await runPage(browser.context, `${host.url}${PAGES}/explain.html?pool=1`);
  assertPageOk(outcome);
  const { report, pool } = outcome.results;
  assert.equal(report.isolated, true);
  assert.equal(report.mechanism, 'document-isolation-policy');
  assert.equal(report.document.coop, undefined);
  assert.deepEqual(pool, { threads: 2, total: 200 });
});
