// A thread that runs glue exports: imports the glue (its snippet import stays the shipped one,
// which is harmless as long as this thread never calls initThreadPool) and inits it as a thread.
import { compare, IMAGES } from './images.mjs';
self.onmessage = async ({ data: { glueUrl, module, memory } }) => {
  try {
    const glue = await import(glueUrl);
    await glue.default(module, memory);
    postMessage(await compare((png, l) => glue.optimise(png, l, false, false)));
  } catch (e) { postMessage({ error: String(e?.stack || e) }); }
};
