// Runs a WASI command under Node's own node:wasi, the reference that
// real-wasi-runs.mjs compares weft with:
//
//   node --no-warnings node-wasi-child.mjs '{"wasm":"/abs/prog.wasm","programName":"prog.wasm",
//     "args":[...],"env":{...},"preopens":{"/guest":"/host/dir"}}'
//
// stdin, stdout and stderr are this process's own (node:wasi reads and writes fds 0-2 of the
// process directly), and the process exits with the program's exit code.
// Why a child process: node:wasi gives the program the host's real fds 0-2, so a program that
// closes or renumbers them would close the test runner's own.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const spec = JSON.parse(process.argv[2]);
const wasi = new WASI({
  version: 'preview1',
  args: [spec.programName, ...spec.args],
  env: spec.env,
  preopens: spec.preopens,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(spec.wasm));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
