import { register } from 'node:module';
import { installWebWorkers } from '../web-worker/install.js';

// `node --import weft/wasm-bindgen-rayon/register app.js`: the web's worker globals of
// weft/web-worker (the glue's own init() fetches its wasm by file URL, its helper touches
// `self`), and Node ≥ 20.6 runs the hooks in hooks.js for the main thread and for every worker
// thread it starts, so the glue's initThreadPool starts weft's rayon threads.
installWebWorkers();
register('./hooks.js', import.meta.url);
