// node examples/wasm-bindgen/tfhe-classes.mjs — tfhe's classes on a pool thread, used from here:
// the client key is made and kept on a thread (with tfhe's rayon pool built by weft), and this
// thread encrypts and decrypts through remote handles, never blocking.
import { createBindgenPool } from 'weft/wasm-bindgen';

const pool = await createBindgenPool({ glue: new URL('../../node_modules/tfhe/tfhe.js', import.meta.url), threads: 1, rayonThreads: 2 });
const builder = await pool.callStatic('TfheConfigBuilder', 'default'); // static factories
const config = await builder.build(); // methods; a glue object comes back as a handle
const clientKey = await pool.callStatic('TfheClientKey', 'generate', config); // handles as arguments
const encrypted = await pool.callStatic('FheUint8', 'encrypt_with_client_key', 42, clientKey);
console.log(`decrypted on the key's thread: ${await encrypted.decrypt(clientKey)}`);
console.log(`client key: ${(await clientKey.serialize()).length} bytes`);
await encrypted.free(); // wasm-bindgen's free(), on the thread (or: using encrypted = ...)
await pool.close(); // ends the threads; objects still held by handles go with them
