// tfhe's compressed server key generation (rayon's par_iter over the bootstrapping key), timed
// with the crate's own glue and thread pool; the same code in a Node process (through
// weft/web-worker) and in a Chromium worker. Returns milliseconds per run.
export async function timeTfheKeygen(glueUrl, threads, { warmup, runs }) {
  const tfhe = await import(glueUrl);
  await tfhe.default();
  await tfhe.initThreadPool(threads);
  const clientKey = tfhe.TfheClientKey.generate_with_seed(tfhe.TfheConfigBuilder.default().build(), 1234n);
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    tfhe.TfheCompressedServerKey.new(clientKey).free();
    if (i >= warmup) times.push(performance.now() - started);
  }
  return times;
}
