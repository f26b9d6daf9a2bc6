import { installWindowGlobals } from '../web-worker/window-globals.js';
import { createNodeWorkerPort } from './node-port.js';
import { startWorker } from './worker-main.js';

// Why: glue written for browsers may touch `self` when imported (wasm-bindgen-rayon 1.2+'s
// helper listens on it), and a wasm-bindgen pool thread imports the glue.
installWindowGlobals();
startWorker(createNodeWorkerPort());
