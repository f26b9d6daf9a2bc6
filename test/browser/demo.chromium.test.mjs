// The demo that `npm start` serves (examples/), page by page in Chromium, in both ways it can be
// served: with the cross-origin isolation headers (as `npm start` does) and without them (as a
// plain static host). Every page must load without a console error, an uncaught error or an HTTP
// error; with the headers each page's own results are checked, and its long work must disable
// its controls and show progress; without them each page that needs SharedArrayBuffer must say so
// and point to the fix, and the isolation page must isolate itself with the service worker.
// A screenshot of each page in each mode is kept in test-output/screenshots/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { mandelbrotChecksum } from '../shared/mandelbrot-reference.mjs';
import { makeTestImages } from '../shared/png-images.mjs';
import { assertPageOk, openBrowser, REPO_ROOT, runPage, startRepoServer } from './harness.mjs';

const screenshots = join(REPO_ROOT, 'test-output/screenshots');
let browser;
/** `headers`: sends the isolation headers (npm start); `plain`: sends none. */
const servers = {};
/** What the browser reported during the current test: console errors, uncaught errors, HTTP errors. */
let problems = [];
const extraServers = [];

before(async () => {
  await mkdir(screenshots, { recursive: true });
  servers.headers = await startRepoServer();
  servers.plain = await startRepoServer({ isolation: false });
  browser = await openBrowser();
  const { context } = browser;
  context.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location()?.url ?? ''})`);
  });
  context.on('weberror', (error) => problems.push(`uncaught: ${error.error().message}`));
  context.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  // A record of each page's busy state, taken whenever the DOM changes: whether all its controls
  // (marked data-control) are disabled or all enabled, whether its progress bar shows, its status
  // line, and the size of a canvas#image.
  await context.addInitScript(() => {
    const trace = [];
    globalThis.__demoTrace = trace;
    const snapshot = () => {
      if (trace.length > 20_000) return;
      const controls = [...document.querySelectorAll('[data-control]')];
      const progress = document.querySelector('#status progress');
      trace.push({
        disabled: controls.length > 0 && controls.every((control) => control.disabled),
        enabled: controls.length > 0 && controls.every((control) => !control.disabled),
        progress: progress !== null && !progress.hidden,
        status: document.querySelector('#status span')?.textContent ?? '',
        image: document.getElementById('image')?.width,
      });
    };
    new MutationObserver(snapshot).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['disabled', 'hidden'] });
  });
});

beforeEach(() => {
  problems = [];
});

after(async () => {
  await Promise.allSettled([browser?.close(), servers.headers?.close(), servers.plain?.close(), ...extraServers.map((server) => server.close())]);
});

/**
 * Opens a demo page, waits for its report, runs `interact(page)` (its result is `inspected`),
 * keeps a full-page screenshot, and asserts that nothing went wrong in the browser.
 */
async function openDemo(url, name, { timeoutMs = 90_000, interact, allowProblems } = {}) {
  const outcome = await runPage(browser.context, url, {
    timeoutMs,
    inspect: async (page) => {
      const inspected = await interact?.(page);
      await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
      // Why ask for the icon here: headless Chromium never requests one, a browser does (and
      // asks for /favicon.ico, a 404, when a page names none).
      const icon = await page.evaluate(async () => {
        const link = document.querySelector('link[rel~="icon"]');
        if (link === null) return 'no <link rel="icon">';
        return link.href.startsWith('data:') ? 200 : (await fetch(link.href)).status;
      });
      return { inspected, icon };
    },
  });
  const unexpected = problems.filter((problem) => !allowProblems?.test(problem));
  assert.deepEqual(unexpected, [], `${url}: no console errors, uncaught errors or HTTP errors`);
  assert.equal(outcome.inspected.icon, 200, `${url}: the page's icon`);
  outcome.inspected = outcome.inspected.inspected;
  return outcome;
}

/** The busy states a page went through since the trace was last cleared. */
const traceOf = (page) => page.evaluate(() => globalThis.__demoTrace.splice(0));

/** Asserts that some snapshot shows every control disabled and the progress bar while `status` matched. */
function assertBusyWhile(trace, status, what) {
  assert.ok(trace.some((s) => s.disabled && s.progress && status.test(s.status)),
    `${what}: the controls are disabled and progress shows while the status says ${status}; saw ${JSON.stringify(trace.slice(-5))}`);
}

/** Waits for the page's work to end (controls enabled again) and returns the status line and its class. */
async function idleStatus(page, timeout = 60_000) {
  await page.waitForFunction(() => document.querySelectorAll('[data-control]:disabled').length === 0 && document.body.getAttribute('aria-busy') === null, undefined, { timeout });
  return page.evaluate(() => ({ text: document.querySelector('#status span').textContent, error: document.getElementById('status').classList.contains('error'), progress: !document.querySelector('#status progress').hidden }));
}

// ---- served with the isolation headers (npm start) ----

test('in Chromium, with the headers: the home page says it is isolated and links every demo', async () => {
  const outcome = await openDemo(`${servers.headers.url}/examples/`, 'home');
  assertPageOk(outcome);
  assert.equal(outcome.results.isolated, true);
  assert.match(outcome.results.text, /is cross-origin isolated; \d+ hardware threads/);
  for (const link of ['./classic/', './mandelbrot/', './wasi/', './wasm-bindgen/', './isolation/', './bundlers/']) assert.ok(outcome.results.links.includes(link), link);
});

test('in Chromium, with the headers: the classic three steps', async () => {
  const outcome = await openDemo(`${servers.headers.url}/examples/classic/`, 'classic');
  assertPageOk(outcome);
  // The greetings one by one are checked in both browsers by pool.browser.test.mjs.
  assert.equal(outcome.results.total, outcome.results.expected);
});

test('in Chromium, with the headers: the Mandelbrot renders on 1…N threads with one checksum, shows its warm-up, and renders on more threads than cores', async () => {
  const outcome = await openDemo(`${servers.headers.url}/examples/mandelbrot/?size=384&threads=3`, 'mandelbrot', {
    interact: async (page) => {
      const onLoad = await traceOf(page);
      // More threads than cores: the last thread count offered, rendered on request.
      const { cores, most } = await page.evaluate(() => {
        const options = [...document.getElementById('threads').options];
        return { cores: navigator.hardwareConcurrency, most: Number(options.at(-1).value) };
      });
      await page.selectOption('#threads', String(most));
      await page.click('#render');
      const after = await idleStatus(page);
      const rows = await page.$$eval('#rows tr', (trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));
      return { onLoad, onRender: await traceOf(page), cores, most, after, rows };
    },
  });
  assertPageOk(outcome);
  assert.deepEqual(outcome.results.map((r) => r.threads), [1, 2, 3]);
  assert.deepEqual(outcome.results.map((r) => r.checksum), new Array(3).fill(mandelbrotChecksum(384, 384, 512)));
  for (const { threads, rowsByThread } of outcome.results) {
    assert.equal(rowsByThread.length, threads);
    assert.equal(rowsByThread.reduce((a, b) => a + b, 0), 384);
  }
  const { onLoad, onRender, cores, most, after, rows } = outcome.inspected;
  assertBusyWhile(onLoad, /^starting \d+ workers/, 'start');
  assert.ok(onLoad.some((s) => s.disabled && s.progress && /^warming up/.test(s.status) && s.image === 256), 'the warm-up is drawn (at 256×256) with progress, controls disabled');
  assertBusyWhile(onLoad, /^sweep 1…3: rendering 384×384 on 3 thread/, 'the sweep');
  assert.ok(most > cores, `threads up to ${most}, more than the ${cores} cores`);
  assertBusyWhile(onRender, new RegExp(`rendering 384×384 on ${most} thread\\(s\\), more than the ${cores} cores`), 'a render on more threads than cores');
  assert.equal(after.error, false, after.text);
  assert.equal(after.progress, false, 'the progress bar is gone when the work is done');
  assert.match(after.text, new RegExp(`^${most} thread\\(s\\): \\d+ ms\\. Same checksum`));
  const row = rows.find((cells) => cells[0] === String(most));
  assert.ok(row, `a result row for ${most} threads`);
  assert.equal(row[3].split(' / ').length, most, 'every thread of the oversubscribed render drew rows');
});

test('in Chromium, with the headers: the wasi-threads C program shows its output', async () => {
  const outcome = await openDemo(`${servers.headers.url}/examples/wasi/`, 'wasi');
  assertPageOk(outcome);
  assert.match(outcome.results.text, /out.txt: written by thread 1\nwritten by main/);
});

test('in Chromium, with the headers: oxipng optimises on 1 and 2 threads with the same bytes, shows progress with its controls disabled, and answers bad input with a sentence', async () => {
  const { png } = (await makeTestImages())[0];
  const damaged = png.slice(0, 40); // a PNG signature and a header, then nothing
  const outcome = await openDemo(`${servers.headers.url}/examples/wasm-bindgen/`, 'oxipng', {
    interact: async (page) => {
      const onLoad = await traceOf(page);
      const ready = await idleStatus(page);
      const tryFile = async (file, threads) => {
        await page.setInputFiles('#file', file);
        await page.selectOption('#threads', threads);
        await page.click('#run');
        const status = await idleStatus(page);
        return { status, trace: await traceOf(page), links: await page.$$eval('#result a', (links) => links.map((a) => a.download)) };
      };
      const notPng = await tryFile({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture\n') }, '1');
      const broken = await tryFile({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from(damaged) }, '2');
      const good = await tryFile({ name: 'mine.png', mimeType: 'image/png', buffer: Buffer.from(png) }, '2');
      return { onLoad, ready, notPng, broken, good };
    },
  });
  assertPageOk(outcome);
  assert.match(outcome.results.text, /noisy 400x300 RGB, 2 thread\(s\): \d+ -> \d+ bytes/);
  assert.match(outcome.results.text, /Same bytes from 1 and 2 threads/);
  const { onLoad, ready, notPng, broken, good } = outcome.inspected;
  assertBusyWhile(onLoad, /^starting 1 rayon thread\(s\) and optimising noisy/, 'the first run');
  assertBusyWhile(onLoad, /^starting 2 rayon thread\(s\) and optimising noisy/, 'the first run on 2 threads');
  assert.deepEqual(ready, { text: 'Ready: pick or drop a PNG.', error: false, progress: false });

  assert.equal(notPng.status.error, true);
  assert.equal(notPng.status.text, 'notes.txt is not a PNG file (it does not start with the PNG signature), so oxipng cannot optimise it: pick a .png file.');
  assert.equal(broken.status.error, true);
  assert.equal(broken.status.text, 'oxipng could not read broken.png: the file is damaged, or a kind of PNG it cannot decode.');
  assertBusyWhile(broken.trace, /^optimising broken\.png on 2 rayon thread\(s\)/, 'a user run');

  assert.equal(good.status.error, false, good.status.text);
  assert.match(good.status.text, /^mine\.png: \d+ → \d+ bytes \(\d+\.\d % smaller\) on 2 thread\(s\)\.$/);
  assertBusyWhile(good.trace, /^(starting 2 rayon thread\(s\) and )?optimising mine\.png/, 'a user run after a failed one');
  assert.deepEqual(good.links, ['mine.optimised.png']);
});

test('in Chromium, with the headers: the isolation page is isolated by the headers and registers no service worker', async () => {
  const outcome = await openDemo(`${servers.headers.url}/examples/isolation/`, 'isolation', {
    interact: (page) => page.evaluate(async () => ({
      how: document.getElementById('how').textContent,
      registrations: (await navigator.serviceWorker.getRegistrations()).length,
    })),
  });
  assertPageOk(outcome);
  assert.equal(outcome.results.total, 1000 * outcome.results.threads);
  assert.match(outcome.inspected.how, /already isolated by the server's headers/);
  assert.equal(outcome.inspected.registrations, 0);
});

// ---- served without the headers (a plain static host) ----

test('in Chromium, without the headers: the home page says it is not isolated, and how to fix it', async () => {
  const outcome = await openDemo(`${servers.plain.url}/examples/`, 'home-no-headers', {
    interact: (page) => page.$$eval('#isolation a', (links) => links.map((a) => a.getAttribute('href'))),
  });
  assertPageOk(outcome);
  assert.equal(outcome.results.isolated, false);
  assert.match(outcome.results.text, /not cross-origin isolated/);
  assert.match(outcome.results.text, /npm start \(weft serve sends the COOP\/COEP headers\)/);
  assert.doesNotMatch(outcome.results.text, /`/, 'no literal backticks');
  assert.deepEqual(outcome.inspected, ['./isolation/']);
});

for (const [path, name] of [['classic/', 'classic'], ['mandelbrot/?size=384', 'mandelbrot'], ['wasi/', 'wasi'], ['wasm-bindgen/', 'oxipng']]) {
  test(`in Chromium, without the headers: the ${name} page says why it cannot run and how to fix it`, async () => {
    const outcome = await openDemo(`${servers.plain.url}/examples/${path}`, `${name}-no-headers`, {
      interact: (page) => page.evaluate(() => ({
        link: new URL(document.querySelector('#not-isolated a').href).pathname,
        workers: performance.getEntriesByType('resource').filter((entry) => /\.wasm$|\/worker\/browser-entry\.js$|squoosh_oxipng/.test(entry.name)).map((entry) => entry.name),
        controlsShown: [...document.querySelectorAll('.controls')].filter((element) => element.checkVisibility()).length,
      })),
    });
    assertPageOk(outcome);
    assert.equal(outcome.results.isolated, false);
    assert.match(outcome.results.notice, /This page cannot run here: it is not cross-origin isolated\./);
    assert.match(outcome.results.notice, /Cross-Origin-Opener-Policy: same-origin/);
    assert.match(outcome.results.notice, /serve the demo with npm start/);
    assert.equal(outcome.inspected.link, '/examples/isolation/');
    assert.deepEqual(outcome.inspected.workers, [], 'nothing was started');
    assert.equal(outcome.inspected.controlsShown, 0, 'no controls that cannot work');
  });
}

for (const mode of ['headers', 'plain']) {
  test(`in Chromium, ${mode === 'headers' ? 'with' : 'without'} the headers: the bundlers folder explains itself instead of a blank page`, async () => {
    const outcome = await openDemo(`${servers[mode].url}/examples/bundlers/`, mode === 'headers' ? 'bundlers' : 'bundlers-no-headers', {
      interact: (page) => page.evaluate(() => ({
        heading: document.querySelector('h1').textContent,
        visible: document.getElementById('about').checkVisibility(),
        loaded: performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
      })).then(async (found) => ({
        ...found,
        // The links to the folder's files and the other demo pages (not to builds the tests may not have made).
        links: await page.evaluate(async () => Promise.all([...document.querySelectorAll('#about a')]
          .filter((a) => !a.href.includes('/test-output/'))
          .map(async (a) => `${new URL(a.href).pathname} ${(await fetch(a.href)).status}`))),
      })),
    });
    assertPageOk(outcome);
    assert.equal(outcome.inspected.heading, 'One app, every bundler');
    assert.equal(outcome.inspected.visible, true);
    assert.ok(outcome.inspected.links.length >= 10, outcome.inspected.links.join(', '));
    for (const link of outcome.inspected.links) assert.match(link, / 200$/);
    assert.deepEqual(outcome.inspected.loaded.filter((path) => !/\/examples\/(style\.css|bundlers\/src\/main\.js)$/.test(path)), [], 'the app itself is not loaded');
  });
}

test('in Chromium, without the headers: the isolation page isolates itself with the service worker, and then the other pages run', async () => {
  // A server of its own (a new origin): the service worker then isolates every page of that origin.
  const server = await startRepoServer({ isolation: false });
  extraServers.push(server);
  const outcome = await openDemo(`${server.url}/examples/isolation/`, 'isolation-no-headers', {
    interact: (page) => page.evaluate(() => ({
      how: document.getElementById('how').textContent,
      controller: navigator.serviceWorker.controller?.scriptURL,
      reloads: performance.getEntriesByType('navigation')[0].type,
    })),
  });
  assertPageOk(outcome);
  assert.equal(outcome.results.total, 1000 * outcome.results.threads);
  assert.match(outcome.inspected.how, /isolated by the service worker/);
  assert.equal(outcome.inspected.controller, `${server.url}/isolation-sw.js`);
  assert.equal(outcome.inspected.reloads, 'reload', 'isolated after its one reload');

  const home = await openDemo(`${server.url}/examples/`, 'home-service-worker');
  assert.equal(home.results.isolated, true);
  assert.match(home.results.text, /is cross-origin isolated \(by weft's service worker\)/);
  const classic = await openDemo(`${server.url}/examples/classic/`, 'classic-service-worker');
  assert.equal(classic.ok, true, classic.error);
  assert.equal(classic.results.total, classic.results.expected);
});

test('in Chromium, without the headers and without /isolation-sw.js: the isolation page says precisely why it is not isolated', async () => {
  const server = await startRepoServer({ isolation: false, isolationServiceWorker: false });
  extraServers.push(server);
  const outcome = await openDemo(`${server.url}/examples/isolation/`, 'isolation-no-service-worker', {
    // The one error here is the one the page explains: the service worker's script is missing.
    allowProblems: /bad HTTP response code \(404\) was received when fetching the script|^HTTP 404 .*\/isolation-sw\.js$/,
    interact: (page) => page.evaluate(() => {
      const output = document.getElementById('output');
      return { text: output.textContent, fits: output.scrollWidth <= output.clientWidth };
    }),
  });
  assert.equal(outcome.ok, false);
  assert.match(outcome.error, new RegExp(`Registering the service worker ${server.url}/isolation-sw.js failed`));
  assert.match(outcome.inspected.text, /Cross-Origin-Opener-Policy: \(missing\)/);
  assert.match(outcome.inspected.text, /What to change:/);
  assert.equal(outcome.inspected.fits, true, 'the explanation wraps instead of running off the page');
});
