// Classes across threads: tfhe 1.6.1's classes (its whole API) made and used on a wasm-bindgen
// pool's thread through remote handles, from the caller, with its rayon pool built by weft.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvalidArgumentError, MissingExportError, PoolClosedError } from '../../dist/errors/index.js';
import { createBindgenPool, transfer } from '../../dist/wasm-bindgen/node.js';
import { checksum } from '../shared/real-crates/checksum.mjs';
import { EXPECTED_RESULTS } from '../shared/real-crates/expected.mjs';

const glue = new URL('../../node_modules/tfhe/tfhe.js', import.meta.url);
let pool;

before(async () => {
  pool = await createBindgenPool({ glue, threads: 2, rayonThreads: 2 });
});
after(() => pool?.close());

test('a client key made on a thread from a seed is tfhe\'s own (same bytes as in Chromium), and encrypts and decrypts through handles', async () => {
  const builder = await pool.callStatic('TfheConfigBuilder', 'default');
  assert.equal(builder.className, 'TfheConfigBuilder');
  assert.deepEqual(JSON.parse(JSON.stringify(builder)), { remote: 'TfheConfigBuilder', threadId: builder.threadId }, 'JSON.stringify makes no remote call');
  const config = await builder.build();
  assert.equal(config.className, 'TfheConfig');
  assert.equal(config.threadId, builder.threadId, 'a method\'s result stays on the object\'s thread');
  const clientKey = await pool.callStatic('TfheClientKey', 'generate_with_seed', config, 1234n);
  assert.equal(clientKey.threadId, config.threadId, 'a call with handles in its arguments runs on their thread');
  const bytes = await clientKey.serialize();
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.length, EXPECTED_RESULTS.tfhe.clientKeyBytes);
  assert.equal(checksum(bytes), EXPECTED_RESULTS.tfhe.clientKeyChecksum);
  const encrypted = await pool.callStatic('FheUint8', 'encrypt_with_client_key', 200, clientKey);
  assert.equal(await encrypted.decrypt(clientKey), 200);
  assert.equal(typeof (await clientKey.__wbg_ptr), 'number', 'await handle.field reads it on the thread');
  await encrypted.free();
  await assert.rejects(encrypted.decrypt(clientKey), InvalidArgumentError, 'a freed handle refuses calls');
  await encrypted.free(); // twice is fine
  const moved = bytes.slice();
  const copy = await pool.callStatic('TfheClientKey', 'deserialize', transfer(moved, [moved.buffer]));
  assert.equal(moved.byteLength, 0, 'a transferred argument moved to the thread (its buffer is detached here)');
  assert.equal(checksum(await copy.serialize()), EXPECTED_RESULTS.tfhe.clientKeyChecksum);
  assert.throws(() => transfer(5, []), InvalidArgumentError);
  await copy.free();
  clientKey[Symbol.dispose](); // what `using` calls (no `using` in Node 20)
  await assert.rejects(clientKey.serialize(), InvalidArgumentError);
});

test('handles of two threads cannot meet in one call; unknown classes and members are typed errors', async () => {
  const first = await pool.runOn(0, 'init_panic_hook').then(() => pool.callStatic('TfheConfigBuilder', 'default'));
  const [a, b] = await Promise.all([pool.callStatic('TfheConfigBuilder', 'default'), pool.callStatic('TfheConfigBuilder', 'default')]);
  const other = a.threadId !== first.threadId ? a : b;
  if (other.threadId !== first.threadId) {
    await assert.rejects(pool.callStatic('TfheClientKey', 'generate', await other.build(), first), InvalidArgumentError);
  }
  await assert.rejects(pool.callStatic('NoSuchClass', 'x'), MissingExportError);
  await assert.rejects(pool.callStatic('TfheConfigBuilder', 'no_such_factory'), MissingExportError);
  await assert.rejects(first.no_such_method(), MissingExportError);
});

test('create() runs a class\'s constructor on a thread; methods with arguments and results by copy', async () => {
  const parameters = await pool.create('ShortintParameters', 0); // ShortintParametersName.PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128
  assert.equal(parameters.className, 'ShortintParameters');
  assert.equal(await parameters.message_modulus(), 4n);
  await parameters.set_message_modulus(8n);
  assert.equal(await parameters.message_modulus(), 8n);
  await parameters.free();
});

test('after close(), calls on handles reject with PoolClosedError', async () => {
  const local = await createBindgenPool({ glue, threads: 1 });
  const builder = await local.callStatic('TfheConfigBuilder', 'default');
  await local.close();
  await assert.rejects(builder.build(), PoolClosedError);
  await assert.rejects(builder.free(), PoolClosedError);
});
