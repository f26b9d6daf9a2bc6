// tfhe 1.6.1 (Zama's FHE library; wasm-bindgen 0.2.118, wasm-bindgen-rayon 1.3), unchanged:
// its own init() fetches tfhe_bg.wasm by URL, its own initThreadPool(n) starts n workers from
// the shipped workerHelpers.js, and the compressed server key generation runs on that pool
// (rayon's par_iter over the bootstrapping key). The client key comes from a seed, so every
// figure below is the same on every runtime and thread count.
import { checksum } from './checksum.mjs';

export async function runTfhe(glueUrl, threads) {
  const tfhe = await import(glueUrl);
  await tfhe.default();
  await tfhe.initThreadPool(threads);
  const config = tfhe.TfheConfigBuilder.default().build();
  const clientKey = tfhe.TfheClientKey.generate_with_seed(config, 1234n);
  const clientKeyBytes = clientKey.serialize();
  const serverKey = tfhe.TfheCompressedServerKey.new(clientKey);
  const ciphertext = tfhe.FheUint8.encrypt_with_client_key(200, clientKey);
  return {
    clientKeyBytes: clientKeyBytes.length,
    clientKeyChecksum: checksum(clientKeyBytes),
    serverKeyBytes: serverKey.serialize().length,
    decrypted: ciphertext.decrypt(clientKey),
  };
}
