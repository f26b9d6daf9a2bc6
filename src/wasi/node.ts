/**
 * The WASI host for Node.js (and Deno, Bun): everything of `./index.js` plus `NodeDirectory`,
 * a sandboxed real host directory to preopen.
 * @module
 */
export * from './index.js';
export { NodeDirectory } from './fs/node-directory.js';
