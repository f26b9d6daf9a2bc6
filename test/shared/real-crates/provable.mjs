// A real threaded operation of @provablehq/wasm (snarkVM compiled with wasm-bindgen-rayon), offline
// and deterministic: it sets up the four BHP hashers (BHP256, BHP512, BHP768, BHP1024) with a
// custom domain separator, then hashes and commits to a fixed message with each.
//
// Why this and not a proof: every proof or key synthesis in this package needs snarkVM's universal
// SRS beyond the 2^15 powers it embeds (the smallest Aleo function already asks for degree 65535),
// and the package downloads those powers with a synchronous XMLHttpRequest from the Provable
// parameter server, so no proof, proving key or verifying key can be made offline.
//
// Why it uses the thread pool: `BHPn.setup(domain)` runs snarkVM's BHPHasher::setup afresh (a custom
// domain is never cached): it maps a hash to the curve for each window's base, then builds the
// window lookup tables and the combined-chunk tables (8^4 group sums per four chunks, a few hundred
// thousand group additions for the four hashers) with rayon's par_iter over the windows. Those
// par_iter calls run on the workers that `initThreadPool(n)` spawned (new Worker(new URL('worker.js',
// import.meta.url), { type: 'module' }) from the glue); the calling thread only waits for them, so
// the calling thread must be allowed to block (a worker in a browser, the main thread in Deno).
// With threads = 1 the package spawns no worker at all (its pool is then rayon's
// use_current_thread pool) and the same work runs on the calling thread. On 2 cores, 2 workers
// take about half the time of 1 thread (Deno: ~1.15 s against ~2.1 s).
//
// The result is a pure function of the domain and the message: the same JSON for any thread count
// and any runtime.
//
//   const result = await runProvable(new URL('.../@provablehq/wasm/dist/testnet/index.js', ...).href, 2);

/** The domain separator of the hashers this module sets up. */
const DOMAIN = 'weft.provable.probe';

/** The message hashed and committed to: its UTF-8 bytes as little-endian bits (200 bits). */
const MESSAGE = 'weft: threaded wasm probe';

/** The fixed randomizer of the commitments. */
const RANDOMIZER = '12345scalar';

const HASHERS = ['BHP256', 'BHP512', 'BHP768', 'BHP1024'];

/** The thread count each glue URL's pool was started with (a pool can be started once per realm). */
const pools = new Map();

function messageBits() {
  const bits = [];
  for (const byte of new TextEncoder().encode(MESSAGE)) {
    for (let bit = 0; bit < 8; bit += 1) bits.push(((byte >> bit) & 1) === 1);
  }
  return bits;
}

/**
 * Imports the package's glue from `glueUrl`, starts its rayon pool with `threads` workers and
 * returns the BHP hashes and commitments (decimal field strings) of the fixed message.
 *
 * @param {string} glueUrl URL of @provablehq/wasm's dist/testnet/index.js
 * @param {number} threads
 * @returns {Promise<{ operation: string, domain: string, message: string, messageBits: number, hashers: Record<string, { hash: string, commit: string, hashToGroup: string }> }>}
 */
export async function runProvable(glueUrl, threads) {
  const aleo = await import(glueUrl);
  const started = pools.get(glueUrl);
  if (started === undefined) {
    await aleo.initThreadPool(threads);
    pools.set(glueUrl, threads);
  } else if (started !== threads) {
    throw new Error(`the pool of ${glueUrl} already runs ${started} threads, not ${threads}`);
  }

  const bits = messageBits();
  const hashers = {};
  for (const name of HASHERS) {
    const hasher = aleo[name].setup(DOMAIN);
    const randomizer = aleo.Scalar.fromString(RANDOMIZER); // commit() takes it over (and frees it)
    try {
      const hash = hasher.hash(bits);
      const commit = hasher.commit(bits, randomizer);
      const group = hasher.hashToGroup(bits);
      hashers[name] = { hash: hash.toString(), commit: commit.toString(), hashToGroup: group.toString() };
      hash.free();
      commit.free();
      group.free();
    } finally {
      hasher.free();
    }
  }
  return {
    operation: 'BHP hasher setup with a custom domain, then hash/commit/hashToGroup',
    domain: DOMAIN,
    message: MESSAGE,
    messageBits: bits.length,
    hashers,
  };
}
