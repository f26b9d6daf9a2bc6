// A Chromium worker that times tfhe's key generation with the crate's own glue and pool.
import { timeTfheKeygen } from '../lib/tfhe-keygen.mjs';

onmessage = async ({ data: { threads, warmup, runs } }) => {
  try {
    postMessage({ times: await timeTfheKeygen(new URL('../../node_modules/tfhe/tfhe.js', import.meta.url).href, threads, { warmup, runs }) });
  } catch (error) {
    postMessage({ error: String(error?.stack ?? error) });
  }
};
