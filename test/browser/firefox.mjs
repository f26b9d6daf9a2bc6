// Runs test pages in headless Firefox (Debian's firefox-esr), driven through
// WebDriver BiDi by puppeteer-core, for `node --test` files. Same contract as
// harness.mjs (Chromium): a page reports by setting `window.__weftTest = { ok, results?, error? }`.
//
//   const firefox = await openFirefox();
//   const server = await startRepoServer();            // the Chromium harness's, isolated
//   const outcome = await runPage(firefox.browser, `${server.url}/test/browser/pages/x.html`);
//   ...
//   await firefox.close(); await server.close();       // in after() hooks
//
// The server comes from the built package, so run `npm run build` first.
import puppeteer from 'puppeteer-core';
import { requireFirefox } from '../shared/browser-binaries.mjs';
import { awaitPageOutcome } from './harness.mjs';

export { REPO_ROOT, startRepoServer } from './harness.mjs';

/**
 * Preferences on top of puppeteer's test profile (which already turns off updates, Shield,
 * safe browsing, health reports and most background requests): nothing may reach beyond
 * localhost, because the test machines have no network and a request that hangs stalls Firefox.
 */
export const FIREFOX_PREFS = {
  'app.update.auto': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.topsites.contile.enabled': false,
  'browser.ping-centre.telemetry': false,
  'captivedetect.canonicalURL': '',
  'extensions.blocklist.enabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.proxy.type': 0,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
};

/**
 * Launches headless Firefox with a fresh profile (puppeteer makes it under os.tmpdir() and
 * deletes it when the browser closes).
 *
 * @returns {Promise<{ browser: import('puppeteer-core').Browser, version: string, close(): Promise<void> }>}
 *   `version` is e.g. "firefox/153.7.0"; `close()` is safe to call more than once.
 */
export async function openFirefox() {
  const executablePath = requireFirefox().path;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
    // Why: a cold Firefox start takes several seconds on a busy two-core machine.
    timeout: 60_000,
  });
  const version = await browser.version();
  let closing;
  const close = () => {
    closing ??= browser.close();
    return closing;
  };
  return { browser, version, close };
}

/**
 * Opens `url` in a new tab and waits until the page sets `window.__weftTest`.
 *
 * Console messages, page errors, failed requests and HTTP errors are collected and printed to
 * stderr when the page reports `ok: false`, and quoted in the error when it never reports.
 * (Over WebDriver BiDi, puppeteer reports the page's console, not its workers'.)
 *
 * @param {import('puppeteer-core').Browser} browser
 * @param {string} url
 * @param {{ timeoutMs?: number, failOnPageError?: boolean, inspect?: (page: import('puppeteer-core').Page) => Promise<unknown> }} [options]
 *   as for the Chromium harness's runPage.
 * @returns {Promise<{ ok: boolean, results?: any, error?: string, waitAsync?: boolean, inspected?: unknown }>}
 */
export async function runPage(browser, url, options = {}) {
  const page = await browser.newPage();
  return awaitPageOutcome(page, url, options, {
    crashEvent: 'error',
    consoleOrigin: () => 'page',
    waitForOutcome: (timeout) => page.waitForFunction(() => globalThis.__weftTest, { timeout, polling: 20 }),
  });
}
