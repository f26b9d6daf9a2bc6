import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('without SharedArrayBuffer: SharedMemoryUnavailableError', async () => {
  const script = fileURLToPath(new URL('../fixtures/no-shared-memory.mjs', import.meta.url));
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, [script], { timeout: 20_000 }, (error, out, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(out);
    });
  });
  const outcome = JSON.parse(stdout);
  assert.equal(outcome.code, 'WEFT_NO_SHARED_MEMORY');
  assert.equal(outcome.name, 'SharedMemoryUnavailableError');
  assert.match(outcome.message, /SharedArrayBuffer is not available/);
});
