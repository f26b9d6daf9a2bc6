// A wasm-bindgen thread's worker file: the glue, imported statically so that a bundler includes
// it. Why a path and not 'weft/wasm-bindgen/thread': without a bundler a module worker has no
// import map, so bare names do not resolve there; a path works with and without a bundler.
import * as glue from '../pkg/squoosh_oxipng.js';
import { serveBindgenThread } from '../node_modules/weft/dist/wasm-bindgen/thread-browser.js';

serveBindgenThread(glue);
