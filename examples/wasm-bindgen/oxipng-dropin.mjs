// node --import weft/wasm-bindgen-rayon/register examples/wasm-bindgen/oxipng-dropin.mjs
// The crate's own initThreadPool(n), unchanged: weft's loader hook swaps wasm-bindgen-rayon's
// browser-only helper for weft's, which starts Node worker threads (idle ones let Node exit).
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { makeTestImages } from '../../test/shared/png-images.mjs';

const pkg = new URL('../../node_modules/@jsquash/oxipng/codec/pkg-parallel/', import.meta.url);
const { default: init, initThreadPool, optimise } = await import(new URL('squoosh_oxipng.js', pkg));

await init(await readFile(new URL('squoosh_oxipng_bg.wasm', pkg)));
await initThreadPool(availableParallelism());
for (const { name, png } of await makeTestImages()) {
  const optimised = optimise(png, 2, false, false); // blocks this thread while rayon's threads work
  console.log(`${name}: ${png.length} -> ${optimised.length} bytes`);
}
