// Bare pool-start peer: receives a precompiled WebAssembly.Module and a shared memory in one
// message, instantiates it (no compilation here) and posts 'ready'.
import { parentPort } from 'node:worker_threads';
import { bareImports } from '../lib/wasm.mjs';

parentPort.once('message', async ({ module, memory }) => {
  try {
    await WebAssembly.instantiate(module, bareImports(module, memory));
    parentPort.postMessage('ready');
  } catch (err) {
    parentPort.postMessage({ error: String(err?.stack ?? err) });
  }
});
