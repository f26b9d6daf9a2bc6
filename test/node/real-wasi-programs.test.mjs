// Real WASI programs from npm (test/shared/real-wasi-programs.mjs: flite, yosys, pandoc) under
// `weft run` and runWasi give the same exit code, stdout, stderr and files as under Node's own
// node:wasi, the reference for single-threaded programs. runWasi runs twice: with host folders
// (NodeDirectory) and with MemoryDirectory, as a page does.
import { before, describe, test } from 'node:test';
import { MemoryDirectory, runWasi } from '../../dist/node.js';
import { realWasiPrograms, runWithMemoryDirectories } from '../shared/real-wasi-programs.mjs';
import { assertReferenceDidTheWork, assertSameRun, loadFile, runNodeWasi, runWeftCli, runWeftInProcess } from './real-wasi-runs.mjs';

for (const [name, program] of Object.entries(realWasiPrograms)) {
  describe(`${name} (${program.package})`, () => {
    let reference;
    before(async () => {
      reference = await runNodeWasi(name, program);
      assertReferenceDidTheWork(reference, program, name);
    });

    test('weft run matches node:wasi', async () => {
      assertSameRun(await runWeftCli(name, program), reference, `${name} under weft run`);
    });

    test('runWasi with host folders matches node:wasi', async () => {
      assertSameRun(await runWeftInProcess(name, program), reference, `${name} under runWasi`);
    });

    test('runWasi with MemoryDirectory preopens matches node:wasi', async () => {
      const run = await runWithMemoryDirectories(program, { runWasi, MemoryDirectory, load: loadFile });
      assertSameRun(run, reference, `${name} under runWasi with MemoryDirectory`);
    });
  });
}
