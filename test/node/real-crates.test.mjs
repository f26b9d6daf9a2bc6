// Real threaded wasm-bindgen crates from npm, glue unchanged, in this runtime (Node 20, Node 22,
// Deno and Bun each run this file) through weft/web-worker: each in its own process
// (test/fixtures/real-crates/child.mjs), with the same result as in Chromium with its own glue
// (test/shared/real-crates/expected.mjs), its pool's workers really started, and the process
// ending by itself afterwards although those workers never return.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXPECTED_RESULTS, expectedWorkers } from '../shared/real-crates/expected.mjs';

const isNode = typeof globalThis.Deno === 'undefined' && typeof globalThis.Bun === 'undefined';
// Why: tlsn's glue opens its connections with the global WebSocket, which Node 20 has only behind
// this flag (Node 22, Deno and Bun have it).
const runtimeFlags = (crate) => (isNode && crate === 'tlsn' && Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket'] : []);

function runCrate(crate) {
  return new Promise((resolve) => {
    execFile(process.execPath, [...runtimeFlags(crate), fileURLToPath(new URL('../fixtures/real-crates/child.mjs', import.meta.url)), crate], { timeout: 240_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').at(-1);
      resolve({ code: error ? (error.code ?? error.signal) : 0, killed: error?.killed ?? false, output: last ? JSON.parse(last) : undefined, stderr });
    });
  });
}

for (const crate of Object.keys(EXPECTED_RESULTS)) {
  test(`${crate}: the crate's own glue and thread pool give Chromium's result, and the process exits by itself`, async () => {
    const child = await runCrate(crate);
    assert.equal(child.killed, false, `${crate}: the process did not end by itself within 240 s: ${child.stderr}`);
    assert.equal(child.code, 0, child.stderr);
    assert.deepEqual(child.output.result, EXPECTED_RESULTS[crate]);
    assert.equal(child.output.workersStarted, expectedWorkers(crate, child.output.hardwareConcurrency), 'workers the glue started');
  });
}
