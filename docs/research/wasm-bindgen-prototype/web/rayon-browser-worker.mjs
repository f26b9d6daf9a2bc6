self.addEventListener('message', async ({ data: { glueUrl, module, memory, receiver } }) => {
  try {
    const glue = await import(glueUrl);
    const src = Function.prototype.toString.call(glue.default);
    await (/module_or_path|deprecated parameters/.test(src) ? glue.default({ module_or_path: module, memory }) : glue.default(module, memory));
    postMessage({ type: 'ready' });
    glue.wbg_rayon_start_worker(receiver);
  } catch (e) { postMessage({ type: 'failed', error: String(e?.stack || e) }); }
}, { once: true });
