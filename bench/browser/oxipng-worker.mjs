// Module worker for the oxipng page's non-weft rows. {op:'init', glueUrl, threads} imports the
// glue and runs its init() (which fetches the _bg.wasm next to it); with threads > 0 it then calls
// the glue's own initThreadPool(threads), i.e. the package's wasm-bindgen-rayon helper, which
// starts its own nested module workers (as @jsquash/oxipng's optimise.js does in a worker).
// {op:'optimise', png, level} answers {ok, out}. Errors answer {ok: false, error}.
let glue;

self.onmessage = async ({ data }) => {
  try {
    if (data.op === 'init') {
      glue = await import(data.glueUrl);
      await glue.default();
      if (data.threads > 0) await glue.initThreadPool(data.threads);
      postMessage({ ok: true });
    } else if (data.op === 'optimise') {
      const out = glue.optimise(data.png, data.level, false, false);
      postMessage({ ok: true, out });
    } else {
      throw new Error(`unknown op ${data.op}`);
    }
  } catch (err) {
    postMessage({ ok: false, error: String(err?.stack ?? err) });
  }
};
