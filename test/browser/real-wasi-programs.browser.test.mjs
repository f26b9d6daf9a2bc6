// Real WASI programs from npm (test/shared/real-wasi-programs.mjs: flite, yosys, pandoc) under
// runWasi in the browser under test, with MemoryDirectory preopens, give the same exit code,
// stdout, stderr and files as under Node's own node:wasi, run here in the test process.
import { test } from 'node:test';
import { realWasiPrograms } from '../shared/real-wasi-programs.mjs';
import { assertReferenceDidTheWork, assertSameRun, runNodeWasi } from '../node/real-wasi-runs.mjs';
import { assertPageOk, BROWSER_NAME, useBrowserAndServer } from './browser-under-test.mjs';

const session = useBrowserAndServer();

for (const [name, program] of Object.entries(realWasiPrograms)) {
  test(`${BROWSER_NAME}: ${name} (${program.package}) under runWasi matches node:wasi`, async () => {
    const [reference, outcome] = await Promise.all([
      runNodeWasi(name, program),
      session.browser.runPage(`${session.server.url}/test/browser/pages/real-wasi-programs.html?only=${encodeURIComponent(name)}`, { timeoutMs: 90_000 }),
    ]);
    assertReferenceDidTheWork(reference, program, name);
    assertPageOk(outcome);
    assertSameRun(outcome.results[name], reference, `${name} in ${BROWSER_NAME}`);
  });
}
