// node bench/workers/tfhe-keygen-node.mjs <threads> <warmup> <runs>: tfhe's own glue and pool in
// this process through weft/web-worker; prints the run times (ms) as JSON.
import '../../dist/web-worker/register.js';
import { timeTfheKeygen } from '../lib/tfhe-keygen.mjs';

const [threads, warmup, runs] = process.argv.slice(2).map(Number);
console.log(JSON.stringify(await timeTfheKeygen(new URL('../../node_modules/tfhe/tfhe.js', import.meta.url).href, threads, { warmup, runs })));
