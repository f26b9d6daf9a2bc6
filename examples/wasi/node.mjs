// node examples/wasi/node.mjs — runs a wasi-threads C program (wasm/src/wasi/c-primes.c) on
// 1 and on N threads; the count of primes is the same, the time is not.
import { availableParallelism } from 'node:os';
import { runWasi } from 'weft';

const program = new URL('../../wasm/wasi/c-primes.wasm', import.meta.url);
const below = process.argv[2] ?? '2000000';
for (const threads of [1, Math.max(2, availableParallelism())]) {
  let output = '';
  const started = performance.now();
  const { exitCode } = await runWasi(program, {
    args: [below, String(threads)],
    stdout: (bytes) => (output += new TextDecoder().decode(bytes)),
  });
  const ms = performance.now() - started;
  console.log(`${threads} thread(s): ${output.trim()} (exit ${exitCode}, ${ms.toFixed(0)} ms)`);
}
