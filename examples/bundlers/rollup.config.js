import { nodeResolve } from '@rollup/plugin-node-resolve';
import { createRollupPlugin } from 'weft/rollup';

// Rollup follows neither workers nor files next to a module; weft's plugin builds each
// `new Worker(new URL(...))` as a chunk and copies each `new URL('x.wasm', ...)` file.
export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve(), createRollupPlugin()],
};
