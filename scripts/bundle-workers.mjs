#!/usr/bin/env node
// After tsc: turns each worker entry in dist/worker/ into one self-contained file.
// Why: a worker that loads weft as ten small ES modules pays a fetch (browser) or a module
// resolution (Node) per file and per level of imports before it can instantiate wasm; one
// file starts as fast as a hand-written worker script.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/worker/', import.meta.url));
for (const [entry, platform] of [['browser-entry', 'browser'], ['node-entry', 'node']]) {
  const file = `${dist}${entry}.js`;
  await build({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}
console.log('bundled dist/worker/browser-entry.js and dist/worker/node-entry.js');
