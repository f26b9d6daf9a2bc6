// The browser that a `*.browser.test.mjs` file runs in: scripts/test.mjs runs those files once
// with WEFT_BROWSER=chromium and once with WEFT_BROWSER=firefox, so each page has one test body
// for both browsers. (`*.chromium.test.mjs` files drive Chromium alone, through harness.mjs.)
//
//   const browser = await openTestBrowser();
//   test(`${browser.name}: …`, async () => assertPageOk(await browser.runPage(url)));
import { execFileSync } from 'node:child_process';
import { after, before } from 'node:test';
import { openBrowser, runPage as runChromiumPage, startRepoServer } from './harness.mjs';
import { openFirefox, runPage as runFirefoxPage } from './firefox.mjs';

export { assertPageOk, REPO_ROOT, startRepoServer } from './harness.mjs';

/** "chromium" or "firefox", from $WEFT_BROWSER (default chromium). */
export const BROWSER = process.env.WEFT_BROWSER ?? 'chromium';
if (BROWSER !== 'chromium' && BROWSER !== 'firefox') {
  throw new Error(`WEFT_BROWSER must be chromium or firefox, not ${JSON.stringify(BROWSER)}`);
}

/** "Chromium" or "Firefox", for test titles. */
export const BROWSER_NAME = BROWSER === 'firefox' ? 'Firefox' : 'Chromium';

/**
 * @typedef {{ timeoutMs?: number, failOnPageError?: boolean, inspect?: (page: any) => Promise<unknown> }} PageOptions
 * @typedef {{ ok: boolean, results?: any, error?: string, waitAsync?: boolean, inspected?: unknown }} PageOutcome
 * @typedef {{ name: string, version: string, runPage(url: string, options?: PageOptions): Promise<PageOutcome>, close(): Promise<void> }} TestBrowser
 */

/**
 * Launches the browser under test with a fresh profile. `inspect(page)` gets a playwright-core
 * page in Chromium and a puppeteer-core page in Firefox; both have `workers()`.
 * @returns {Promise<TestBrowser>}
 */
export async function openTestBrowser() {
  if (BROWSER === 'firefox') {
    const firefox = await openFirefox();
    return {
      name: BROWSER_NAME,
      version: firefox.version,
      runPage: (url, options) => runFirefoxPage(firefox.browser, url, options),
      close: firefox.close,
    };
  }
  const chromium = await openBrowser();
  return {
    name: BROWSER_NAME,
    // Why not context.browser().version(): a persistent context has no Browser object.
    version: execFileSync(chromium.executablePath, ['--version'], { encoding: 'utf8' }).trim(),
    runPage: (url, options) => runChromiumPage(chromium.context, url, options),
    close: chromium.close,
  };
}

/**
 * Registers before/after hooks that start the repository's isolated server and the browser
 * under test, and end both. Use the returned object's `browser` and `server` inside tests.
 * @returns {{ browser: TestBrowser, server: Awaited<ReturnType<typeof startRepoServer>> }}
 */
export function useBrowserAndServer() {
  const context = /** @type {any} */ ({});
  before(async () => {
    context.server = await startRepoServer();
    context.browser = await openTestBrowser();
  });
  after(async () => {
    await Promise.allSettled([context.browser?.close(), context.server?.close()]);
  });
  return context;
}
