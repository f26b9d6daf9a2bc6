// Runs test pages in headless Chromium for `node --test` files.
//
//   const browser = await openBrowser();
//   const server = await startRepoServer();            // serves the repo root, isolated
//   const outcome = await runPage(browser.context, `${server.url}/test/browser/pages/x.html`);
//   ...
//   await browser.close(); await server.close();       // in after() hooks
//
// A test page reports by setting `window.__weftTest = { ok, results?, error? }`.
// The server comes from the built package, so run `npm run build` first.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, requireChromium } from '../shared/browser-binaries.mjs';

/** The repository root (two folders above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));


/** How long runPage waits for a page to report, unless told otherwise. */
export const DEFAULT_PAGE_TIMEOUT_MS = 30_000;

/** How many console lines a timeout message quotes. */
const TAIL_LINES = 20;

/**
 * Launches headless Chromium with a fresh profile folder under os.tmpdir().
 *
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, executablePath: string, close(): Promise<void> }>}
 *   `close()` ends the browser and deletes the profile; it is safe to call more than once.
 */
export async function openBrowser() {
  const executablePath = requireChromium().path;
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'weft-chromium-'));
  let context;
  try {
    context = await launchChromium(executablePath, userDataDir);
  } catch (error) {
    await removeProfile(userDataDir);
    throw error;
  }
  let closing;
  const close = () => {
    closing ??= context.close().finally(() => removeProfile(userDataDir));
    return closing;
  };
  return { context, executablePath, close };
}

/**
 * Launches Chromium, once more if it died while starting.
 * Why: one CI run saw Chromium (@sparticuz/chromium 147) end with SIGSEGV during launch, before
 * any page, failing every test of the file; 40 launches in a row here never did. Such a crash
 * says nothing about weft, so it is retried once, with a line on stderr so that it is seen.
 */
async function launchChromium(executablePath, userDataDir) {
  const launch = () => chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_FLAGS });
  try {
    return await launch();
  } catch (error) {
    const signal = /process did exit: exitCode=\S+, signal=(\w+)/.exec(String(error?.message))?.[1];
    if (signal === undefined || signal === 'null') throw error;
    console.error(`Chromium ended with ${signal} while starting; launching it once more`);
    // A fresh profile: the crashed one may hold its lock files.
    await removeProfile(userDataDir);
    await mkdir(userDataDir);
    return launch();
  }
}

/**
 * Opens `url` in a new tab and waits until the page sets `window.__weftTest`.
 *
 * Console messages (the page's and its workers'), page errors, failed requests and HTTP errors are
 * collected and printed to stderr when the page reports `ok: false`, and quoted in the error when
 * it never reports.
 *
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url
 * @param {{ timeoutMs?: number, failOnPageError?: boolean, inspect?: (page: import('playwright-core').Page) => Promise<unknown> }} [options]
 *   `timeoutMs` covers loading and waiting (default 30 s); with `failOnPageError` (default true)
 *   an uncaught exception or unhandled rejection in the page fails at once; `inspect(page)` runs
 *   once the page has reported, and its result is returned as `inspected`.
 * @returns {Promise<{ ok: boolean, results?: any, error?: string, inspected?: unknown }>}
 */
export async function runPage(context, url, options = {}) {
  const page = await context.newPage();
  return awaitPageOutcome(page, url, options, {
    crashEvent: 'crash',
    consoleOrigin: (message) => (message.worker() ? `worker ${message.worker().url()}` : 'page'),
    waitForOutcome: (timeout) => page.waitForFunction(() => globalThis.__weftTest, undefined, { timeout, polling: 20 }),
  });
}

/**
 * Asserts that a page reported success and, when given, that `results[check]` is "ok" (the
 * shape of the pages that run the shared checks).
 * @param {{ ok: boolean, results?: any, error?: string }} outcome
 * @param {string} [check]
 */
export function assertPageOk(outcome, check) {
  // Example pages show their progress as `results.text`: worth seeing when they fail.
  assert.equal(outcome.ok, true, [outcome.error, outcome.results?.text].filter(Boolean).join('\n'));
  if (check !== undefined) assert.equal(outcome.results?.[check], 'ok', `${check}: ${JSON.stringify(outcome.results?.[check])}`);
}

/**
 * Collects what a page says (console, uncaught errors, failed requests, HTTP errors) into `logs`,
 * and rejects `failedEarly` on an uncaught error (with `failOnPageError`) or a crash. The event
 * names are the same in playwright-core and puppeteer-core, but for the crash.
 *
 * @param {any} page a playwright-core or puppeteer-core page
 * @param {{ failOnPageError: boolean, crashEvent: string, consoleOrigin: (message: any) => string }} options
 * @returns {{ logs: string[], failedEarly: Promise<never> }}
 */
function watchPage(page, { failOnPageError, crashEvent, consoleOrigin }) {
  const logs = [];
  let rejectEarly;
  const failedEarly = new Promise((_, reject) => {
    rejectEarly = reject;
  });
  failedEarly.catch(() => {});
  page.on('console', (message) => logs.push(`[${message.type()} ${consoleOrigin(message)}] ${message.text()}`));
  page.on('pageerror', (error) => {
    logs.push(`[pageerror] ${error?.stack ?? error?.message ?? error}`);
    if (failOnPageError) rejectEarly(new Error(`uncaught error in the page: ${error?.message ?? error}`));
  });
  page.on('requestfailed', (request) => logs.push(`[requestfailed] ${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) logs.push(`[http ${response.status()}] ${response.url()}`);
  });
  page.on(crashEvent, (error) => rejectEarly(new Error(`the page crashed${error?.message ? `: ${error.message}` : ''}`)));
  return { logs, failedEarly };
}

/**
 * The part of runPage that Chromium (playwright-core) and Firefox (puppeteer-core) share, given a
 * new page: watches its events, loads `url`, waits for `window.__weftTest` through
 * `waitForOutcome(timeout)`, checks its shape, runs `inspect`, and closes the page.
 *
 * @param {any} page
 * @param {string} url
 * @param {{ timeoutMs?: number, failOnPageError?: boolean, inspect?: (page: any) => Promise<unknown> }} options as for runPage
 * @param {{ crashEvent: string, consoleOrigin: (message: any) => string, waitForOutcome: (timeout: number) => Promise<any> }} engine
 */
export async function awaitPageOutcome(page, url, options, { crashEvent, consoleOrigin, waitForOutcome }) {
  const { timeoutMs = DEFAULT_PAGE_TIMEOUT_MS, failOnPageError = true, inspect } = options;
  const deadline = Date.now() + timeoutMs;
  const { logs, failedEarly } = watchPage(page, { failOnPageError, crashEvent, consoleOrigin });
  try {
    const response = await Promise.race([
      page.goto(url, { timeout: timeoutMs, waitUntil: 'domcontentloaded' }),
      failedEarly,
    ]);
    if (response && !response.ok()) {
      throw new Error(`HTTP ${response.status()} ${response.statusText()}`);
    }
    const handle = await Promise.race([
      waitForOutcome(Math.max(1, deadline - Date.now())),
      failedEarly,
    ]);
    const outcome = await handle.jsonValue();
    if (typeof outcome !== 'object' || outcome === null || typeof outcome.ok !== 'boolean') {
      throw new Error(`window.__weftTest must be { ok: boolean, ... }, got ${JSON.stringify(outcome)}`);
    }
    if (!outcome.ok) printLogs(url, logs, outcome.error);
    if (inspect) outcome.inspected = await inspect(page);
    return outcome;
  } catch (error) {
    const reason = error?.name === 'TimeoutError'
      ? `window.__weftTest was not set within ${timeoutMs} ms`
      : error.message;
    const tail = logs.length === 0 ? '(no console output)' : logs.slice(-TAIL_LINES).join('\n');
    throw new Error(`${url}: ${reason}\nLast console lines:\n${tail}`, { cause: error });
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Starts the built static server (dist/tooling/static-server.js) on the repository root.
 *
 * @param {{ isolation?: boolean, coep?: 'require-corp' | 'credentialless', port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, root: string, close(): Promise<void> }>}
 */
export async function startRepoServer(options = {}) {
  const modulePath = path.join(REPO_ROOT, 'dist', 'tooling', 'static-server.js');
  if (!existsSync(modulePath)) {
    throw new Error(`${modulePath} is missing: run \`npm run build\` first`);
  }
  const { startStaticServer } = await import(pathToFileURL(modulePath).href);
  return startStaticServer({ ...options, root: REPO_ROOT });
}

function printLogs(url, logs, error) {
  const lines = [`--- ${url} reported failure${error ? `: ${error}` : ''}`, ...logs, '---'];
  process.stderr.write(`${lines.join('\n')}\n`);
}

async function removeProfile(userDataDir) {
  // Why: Chromium may still be flushing the profile for a moment after it exits.
  await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
