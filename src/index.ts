// Types and errors shared by the Node.js and browser builds; `createPool` is the same
// function in both, bound to the platform by the `node` / `browser` export conditions.
export * from './browser.js';
