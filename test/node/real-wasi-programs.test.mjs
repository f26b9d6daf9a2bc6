// Real WASI programs from npm (test/shared/real-wasi-programs.mjs: flite, yosys, pandoc) under
// `weft run` and runWasi give the same exit code, stdout, stderr and files as under Node's own
// node:wasi, the reference for single-threaded programs. runWasi runs twice: with host folders
// (NodeDirectory) and with MemoryDirectory, as a page does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

// Differences found, each kept as a test so that a change on either side is noticed.
//
// A difference found here and fixed: stdio reported as a terminal. yosys stops on an error through
// proc_exit without flushing wasi-libc's stdout buffer, so whatever that buffer holds is lost. How
// much it holds depends on isatty(1), which wasi-libc answers from fd_fdstat_get: a character
// device without seek rights is a terminal (stdout line-buffered), anything else is not (fully
// buffered). node:wasi reports the host's real fd (here a pipe: not a terminal). weft reported
// every stdio fd as a character device, so its stdout was line-buffered and kept the lines
// node:wasi loses. The spec's `character_device` "refers to a character device inode", which a
// pipe or a runWasi callback is not; weft now reports stdio as `unknown` unless told it is a
// terminal (`weft run` tells it from process.stdout.isTTY and the like), and agrees.
test('yosys ending on an error loses its unflushed stdout as under node:wasi: stdio that is not a terminal is not reported as one', async () => {
  const program = { ...realWasiPrograms.yosys, args: ['-Q', '-T', '-p', 'read_verilog /work/none.v'], writes: [] };
  const reference = await runNodeWasi('yosys-error', program);
  const text = (base64) => Buffer.from(base64, 'base64').toString('utf8');
  assert.deepEqual([reference.exitCode, text(reference.stderr), text(reference.stdout)], [1, "ERROR: File `/work/none.v' not found or is a directory\n", '\n']);
  assertSameRun(await runWeftInProcess('yosys-error', program), reference, 'yosys ending on an error under runWasi');
  assertSameRun(await runWeftCli('yosys-error', program), reference, 'yosys ending on an error under weft run (stdout a pipe)');
});

test('under a terminal, weft run says so: yosys\'s stdout is line-buffered and keeps the line a pipe loses', { skip: hasScript() ? false : 'needs util-linux `script` for a pseudo-terminal (apt-get install bsdutils)' }, () => {
  const wasm = fileURLToPath(realWasiPrograms.yosys.wasm);
  const cli = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));
  const command = [process.execPath, cli, 'run', wasm, '--', '-Q', '-T', '-p', 'read_verilog /none.v'].map((word) => `'${word}'`).join(' ');
  // `script` gives the command a pseudo-terminal for stdin, stdout and stderr.
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 1, run.stderr); // yosys's exit code, which `script -e` passes on
  assert.match(run.stdout.replaceAll('\r', ''), /-- Running command `read_verilog \/none\.v' --\nERROR: File `\/none\.v' not found/);
});

function hasScript() {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return process.platform === 'linux';
  } catch {
    return false;
  }
}

// The second, found by pandoc's Lua probe: from a preopen named "/", "../outside.txt"
// climbs above the preopen. A WASI path is resolved against its directory fd, whatever guest name
// that fd was preopened under, and a ".." above it leaves the capability: wasi-testsuite's
// interesting_paths expects ENOTCAPABLE for a path with too many "..", and weft answers that.
// node:wasi (uvwasi) normalizes the *guest* path instead ("/" + "../outside.txt" is "/outside.txt",
// since "/.." is "/"), so it stays inside and answers ENOENT. Neither lets the program out; weft
// follows the spec. (From a preopen such as "/work", both answer ENOTCAPABLE; PROBE_LUA checks that.)
test('pandoc opening "../outside.txt" from a "/" preopen: ENOTCAPABLE under weft, ENOENT under node:wasi', async () => {
  const probe = "local f, message, code = io.open('../outside.txt', 'r')\nio.stderr:write(tostring(message), ' | ', tostring(code), '\\n')\n";
  const program = {
    ...realWasiPrograms.pandoc,
    args: ['--lua-filter', '/probe.lua', '-t', 'plain'],
    stdin: 'text\n',
    preopens: { '/': { tree: () => ({ 'probe.lua': probe }), compare: true } },
    writes: [],
  };
  const reference = await runNodeWasi('pandoc-escape', program);
  const weft = await runWeftInProcess('pandoc-escape', program);
  const text = (base64) => Buffer.from(base64, 'base64').toString('utf8');
  assert.deepEqual([reference.exitCode, text(reference.stdout), text(reference.stderr)], [0, 'text\n', '../outside.txt: No such file or directory | 44\n']);
  assert.deepEqual([weft.exitCode, text(weft.stdout), text(weft.stderr)], [0, 'text\n', '../outside.txt: Capabilities insufficient | 76\n']);
  assert.deepEqual(weft.files, reference.files);
});
