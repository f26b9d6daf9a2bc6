// node examples/web-worker/tfhe.mjs (also: deno run -A …, bun …) — Zama's tfhe from npm, its
// browser glue unchanged: its own init() fetches the .wasm by file URL, its own initThreadPool(n)
// starts n web Workers from its wasm-bindgen-rayon helper, and key generation runs on them.
import 'weft/web-worker/register'; // first: the glue's helper touches `self` when it is imported
import init, { FheUint8, initThreadPool, TfheClientKey, TfheCompressedServerKey, TfheConfigBuilder } from 'tfhe';

await init();
await initThreadPool(navigator.hardwareConcurrency);
const clientKey = TfheClientKey.generate(TfheConfigBuilder.default().build());
const started = performance.now();
const serverKey = TfheCompressedServerKey.new(clientKey); // rayon's par_iter on the pool
console.log(`server key: ${serverKey.serialize().length} bytes in ${(performance.now() - started).toFixed(0)} ms on ${navigator.hardwareConcurrency} threads`);
const encrypted = FheUint8.encrypt_with_client_key(42, clientKey);
console.log(`decrypted: ${encrypted.decrypt(clientKey)}`);
// Nothing to close: the pool's workers keep the process alive only while something listens to them.
