import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

function runChild(script, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    execFile(process.execPath, [fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url)), ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? error.signal : 0, killed: error?.killed ?? false, stdout, stderr, ms: Date.now() - started });
    });
  });
}

for (const mode of ['idle', 'close', 'trap']) {
  test(`a process whose pool is ${mode === 'close' ? 'closed' : mode === 'trap' ? 'idle after a trap' : 'idle'} exits by itself`, async () => {
    const child = await runChild('child-pool.mjs', [mode]);
    assert.equal(child.killed, false, `the child did not exit within 20 s: ${child.stderr}`);
    assert.equal(child.code, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), { mode, results: [1, 2] });
  });
}
