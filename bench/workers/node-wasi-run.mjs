// The baseline of bench family `cli-start`: runs a wasm32-wasip1 program with Node's own
// node:wasi, as a plain `node` user would (`node node-wasi-run.mjs prog.wasm [args...]`), and
// exits with the program's exit code.
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
