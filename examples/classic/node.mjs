// node examples/classic/node.mjs [threads]
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createPool } from 'weft';
import { helloOnMainThread, helloOnOneWorker, helloOnThreads } from './three-steps.mjs';

const module = new URL('../../wasm/hello.wasm', import.meta.url);
const threads = Number(process.argv[2] ?? availableParallelism());

console.log('1. main thread:', await helloOnMainThread(await readFile(module)));
console.log('2. one worker: ', await helloOnOneWorker(createPool, module));
const { greetings, total, expected } = await helloOnThreads(createPool, module, threads, 100_000);
for (const greeting of greetings) console.log('3.', greeting);
console.log(`3. ${threads} threads counted ${total} (expected ${expected})`);
if (total !== expected) process.exit(1);
