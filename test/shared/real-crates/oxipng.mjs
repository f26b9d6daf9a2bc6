// @jsquash/oxipng 2.3.0, unchanged: in a worker (where it picks its wasm-bindgen-rayon build,
// codec/pkg-parallel, whose helper imports its glue as '../../../') it calls
// initThreadPool(navigator.hardwareConcurrency) and optimises on that pool.
import { checksum } from './checksum.mjs';
import { makeTestImages } from '../png-images.mjs';

export async function runOxipng(optimiseUrl) {
  const { default: optimise } = await import(optimiseUrl);
  const images = await makeTestImages();
  const results = [];
  for (const { name, png } of images) {
    const optimised = new Uint8Array(await optimise(png, { level: 2 }));
    results.push({ name, bytes: optimised.length, checksum: checksum(optimised) });
  }
  return results;
}
