import { compare } from './images.mjs';
self.onmessage = async () => {
  try {
    const glue = await import('/node_modules/@jsquash/oxipng/codec/pkg-parallel/squoosh_oxipng.js');
    await glue.default();
    const t = performance.now();
    await glue.initThreadPool(2);
    postMessage([`pool start ${Math.round(performance.now() - t)} ms`, ...await compare((png, l) => glue.optimise(png, l, false, false))]);
  } catch (e) { postMessage({ error: String(e?.stack || e) }); }
};
