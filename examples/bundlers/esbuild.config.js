import { build } from 'esbuild';
import { createEsbuildPlugin } from 'weft/esbuild';

// esbuild follows neither workers nor files next to a module; weft's plugin builds each
// `new Worker(new URL(...))` as a bundle of its own and copies each `new URL('x.wasm', ...)` file.
export const options = { entryPoints: ['src/main.js'], bundle: true, format: 'esm', outdir: 'dist', plugins: [createEsbuildPlugin()] };

if (import.meta.url === `file://${process.argv[1]}`) await build(options);
