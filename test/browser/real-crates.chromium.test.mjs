// The real crates of test/node/real-crates.test.mjs in Chromium with their own glue and thread
// pools, no weft involved: the reference that Node, Deno and Bun must match
// (test/shared/real-crates/expected.mjs).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { EXPECTED_RESULTS, expectedWorkers } from '../shared/real-crates/expected.mjs';
import { startWebSocketRelay } from '../shared/real-crates/websocket-relay.mjs';
import { assertPageOk, REPO_ROOT, useBrowserAndServer } from './browser-under-test.mjs';

const session = useBrowserAndServer();

// Why a front server: @jsquash/oxipng is published for bundlers. Its rayon helper imports the
// glue as '../../../' (a folder, resolved through its package.json "module") and optimise.js
// imports the bare 'wasm-feature-detect' (import maps do not reach workers). This server answers
// those two the way a bundler resolves them and forwards everything else to the repository's server.
const OXIPNG_FOLDER = '/node_modules/@jsquash/oxipng/codec/pkg-parallel/';
const OXIPNG_ENTRY = '/node_modules/@jsquash/oxipng/optimise.js';
let front;
let relay;
before(async () => {
  relay = await startWebSocketRelay();
  const resolved = {
    [OXIPNG_FOLDER]: await readFile(`${REPO_ROOT}${OXIPNG_FOLDER.slice(1)}squoosh_oxipng.js`),
    [OXIPNG_ENTRY]: Buffer.from(
      (await readFile(`${REPO_ROOT}${OXIPNG_ENTRY.slice(1)}`, 'utf8')).replace("'wasm-feature-detect'", "'/node_modules/wasm-feature-detect/dist/esm/index.js'"),
    ),
  };
  front = createServer(async (request, response) => {
    const forwarded = await fetch(`${session.server.url}${request.url}`);
    const rewritten = resolved[request.url];
    if (rewritten !== undefined) {
      response.writeHead(200, { ...Object.fromEntries(forwarded.headers), 'content-type': 'text/javascript', 'content-length': rewritten.length });
      response.end(rewritten);
      return;
    }
    const headers = Object.fromEntries(forwarded.headers);
    delete headers['content-encoding'];
    delete headers['transfer-encoding'];
    const body = Buffer.from(await forwarded.arrayBuffer());
    response.writeHead(forwarded.status, { ...headers, 'content-length': body.length });
    response.end(body);
  });
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await relay?.close();
  await new Promise((resolve) => (front ? front.close(resolve) : resolve()));
});

for (const crate of Object.keys(EXPECTED_RESULTS)) {
  test(`Chromium: ${crate} with its own glue and thread pool`, async () => {
    const url = `http://127.0.0.1:${front.address().port}/test/browser/pages/real-crates.html?crate=${crate}&relay=${encodeURIComponent(relay.url)}`;
    const outcome = await session.browser.runPage(url, { timeoutMs: 240_000 });
    assertPageOk(outcome);
    assert.deepEqual(outcome.results.result, EXPECTED_RESULTS[crate]);
    assert.equal(outcome.results.workersStarted, expectedWorkers(crate, outcome.results.hardwareConcurrency), 'workers the glue started');
  });
}
