import { register } from 'node:module';

// `node --import weft/wasm-bindgen-rayon/register app.js`: Node ≥ 20.6 runs the hooks in
// hooks.js for the main thread and for every worker thread it starts.
register('./hooks.js', import.meta.url);
