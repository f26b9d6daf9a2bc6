// runWasi's options are checked before anything starts: a wrong one is an InvalidOptionError that
// names it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidOptionError, runWasi } from '../../dist/node.js';

const program = new URL('../../wasm/wasi/no-thread-spawn.wasm', import.meta.url);

test('terminal must name stdin, stdout or stderr with booleans', async () => {
  for (const terminal of ['yes', null, { stdout: 'true' }, { tty: true }]) {
    await assert.rejects(runWasi(program, { terminal }), (error) => error instanceof InvalidOptionError && error.option === 'terminal', JSON.stringify(terminal));
  }
  const { exitCode } = await runWasi(program, { args: ['3'], terminal: { stdout: true }, stdout: () => {}, stderr: () => {} });
  assert.equal(exitCode, 3);
});
