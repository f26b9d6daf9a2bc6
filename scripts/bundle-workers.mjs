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

// The isolation service worker is copied by users to their site's root and loaded both as a
// service worker and as a classic <script>: one file with no imports, as an IIFE.
const serviceWorker = fileURLToPath(new URL('../dist/isolation/isolation-sw.js', import.meta.url));
await build({
  entryPoints: [serviceWorker],
  outfile: serviceWorker,
  allowOverwrite: true,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('bundled dist/worker/browser-entry.js, dist/worker/node-entry.js and dist/isolation/isolation-sw.js');
