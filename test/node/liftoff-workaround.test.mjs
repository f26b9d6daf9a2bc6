import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hasLiftoffAtomicsBug } from '../../dist/runtime/node/liftoff-bug.js';

// The reproducer (wasm/src/liftoff-repro.wat) returns 1042 (42 + 1000, two locals computed at run time) across a
// memory.atomic.wait32; Node 20's Liftoff returns 42.
const EXPECTED = 1042;

function runRepro(mode) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(new URL('../fixtures/liftoff-child.mjs', import.meta.url)), mode], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

test('with weft\'s workaround the reproducer returns the right value on this Node', async () => {
  const { results } = await runRepro('workaround');
  assert.deepEqual(results, new Array(5).fill(EXPECTED));
});

test('the reproducer really reproduces the bug where weft says the version has it', async () => {
  const { results } = await runRepro('no-workaround');
  if (hasLiftoffAtomicsBug(process.versions.node)) {
    assert.ok(results.some((r) => r !== EXPECTED), `expected the bug on Node ${process.versions.node}, got ${results}`);
  } else {
    assert.deepEqual(results, new Array(5).fill(EXPECTED));
  }
});

test('version detection', () => {
  assert.equal(hasLiftoffAtomicsBug('20.20.2'), true);
  assert.equal(hasLiftoffAtomicsBug('22.22.0'), true);
  assert.equal(hasLiftoffAtomicsBug('22.23.0'), false);
  assert.equal(hasLiftoffAtomicsBug('24.20.1'), true);
  assert.equal(hasLiftoffAtomicsBug('24.21.0'), false);
  assert.equal(hasLiftoffAtomicsBug('25.0.0'), false);
});
