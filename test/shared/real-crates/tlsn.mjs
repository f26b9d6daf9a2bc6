// One real, offline, threaded call of the npm package tlsn-wasm 0.1.0-alpha.12 (TLSNotary):
// the MPC setup between a Prover and a Verifier in the same realm, joined through a local
// WebSocket relay (websocket-relay.mjs, ws://127.0.0.1:<port>).
//
// What runs: `initialize(null, threads)` starts web-spawn's spawner (a module Worker running
// snippets/web-spawn-*/js/spawn.js, which itself creates nested Workers, one per Rust thread) and
// builds rayon's global pool of `threads` such nested workers. Then `verifier.connect(url)` +
// `verifier.verify()` and `prover.setup(url)` run the whole MPC-TLS preprocessing of both parties:
// oblivious transfers and the garbled circuits of the TLS handshake and record layer (about 37 MiB
// from Prover to Verifier and 3 MiB back through the relay; ~20 s on two busy cores).
//
// Why it uses the threads: without `initialize` the call traps at once (RuntimeError: unreachable);
// with it, the setup spawns 40 more nested workers through the spawner (tlsn's multi-threaded MPC
// context, `web_spawn::spawn`; 42 workers in all with 2 pool threads), and the rayon pool threads
// do the heavy garbling/OT work: in Deno, per-thread CPU time during the setup was 6.3 s on the
// single pool thread with initialize(null, 1), 3.1 s + 3.4 s on the two with (null, 2).
//
// Why it stops after the setup: the next step (Prover.send_request) is a real TLS connection
// whose certificate the prover checks against the built-in webpki (Mozilla) root store, which a
// localhost server cannot satisfy offline. So the prover is freed after its setup, which closes
// its WebSocket; the verifier then fails with an end-of-file error. Its exact message depends on
// whether it was still finishing its own preprocessing ("mpc error caused by: preprocess error:
// execution error: unexpected end of file", seen once in six runs) or already waiting for the TLS
// connection ("mpc error caused by: I/O error: unexpected end of file"), so only the cause is
// kept. The result holds only what does not vary between runs and thread counts: the limits, the
// two outcomes, and the traffic rounded to 0.1 MiB (the exact byte and message counts vary by a
// few hundred bytes with the timing of yamux window updates).
//
// Runtime-agnostic (Deno, Bun, a browser's dedicated worker): no node: imports, no `process`. Not
// on a browser window's thread: there the wasm's locks trap with "RuntimeError: Atomics.wait cannot
// be called in this context" as soon as the setup starts (tlsn-js also runs it in a worker). Needs a
// global WebSocket and Worker (module workers that can create workers), SharedArrayBuffer (cross-
// origin isolation in browsers), crypto.getRandomValues, fetch of the glue's .wasm URL (file: URLs
// in Deno/Bun), and fetch of the relay's http://…/stats/<session> (CORS) for the traffic figures.
//
// The glue keeps one wasm instance and one rayon pool per realm: runTlsn may be called again in
// the same realm with the same glueUrl and thread count, not with another thread count.

/** The protocol limits (bytes of application data) both parties agree on. */
const MAX_SENT_DATA = 256;
const MAX_RECV_DATA = 256;

/** glueUrl → the thread count its pool was started with, in this realm. */
const initialized = new Map();

/**
 * Runs the MPC setup between a tlsn-wasm Prover and Verifier over the relay.
 *
 * @param {string} glueUrl URL of node_modules/tlsn-wasm/tlsn_wasm.js (file: or http:)
 * @param {number} threads the size of the rayon pool, given to initialize(null, threads)
 * @param {string} relayUrl ws:// base URL of a relay from startWebSocketRelay()
 * @returns {Promise<object>} a plain, JSON-able, deterministic summary
 */
export async function runTlsn(glueUrl, threads, relayUrl) {
  const glue = await import(glueUrl);
  await glue.default();
  if (!initialized.has(glueUrl)) {
    initialized.set(glueUrl, threads);
    await glue.initialize(null, threads);
  } else if (initialized.get(glueUrl) !== threads) {
    throw new Error(`tlsn-wasm's pool was already started here with ${initialized.get(glueUrl)} threads`);
  }

  const session = `tlsn-${crypto.randomUUID()}`;
  const url = `${relayUrl.replace(/\/$/, '')}/${session}`;
  const verifier = new glue.Verifier({
    max_sent_data: MAX_SENT_DATA,
    max_recv_data: MAX_RECV_DATA,
    max_sent_records: undefined,
    max_recv_records_online: undefined,
  });
  const prover = new glue.Prover({
    server_name: 'example.com',
    max_sent_data: MAX_SENT_DATA,
    max_sent_records: undefined,
    max_recv_data_online: undefined,
    max_recv_data: MAX_RECV_DATA,
    max_recv_records_online: undefined,
    defer_decryption_from_start: undefined,
    network: 'Bandwidth',
    client_auth: undefined,
  });

  // Verifier.connect only opens its WebSocket; verify() runs its side of the setup, then waits
  // for the MPC-TLS connection that never comes.
  await verifier.connect(url);
  const verified = verifier.verify().then(
    (output) => ({ ok: true, output }),
    (error) => ({ ok: false, error: String(error?.message ?? error) }),
  );
  let setup;
  try {
    await prover.setup(url);
    setup = 'done';
  } finally {
    prover.free();
  }
  const verifierEnd = await verified;
  verifier.free();

  const { host, pathname } = new URL(url);
  const statsUrl = `http://${host}/stats${pathname}`;
  const response = await fetch(statsUrl);
  if (!response.ok) throw new Error(`${statsUrl}: HTTP ${response.status}`);
  const stats = await response.json();
  // The relay numbers its sides in the order they connected: the verifier first.
  const mib = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

  return {
    package: 'tlsn-wasm@0.1.0-alpha.12',
    call: 'Verifier.connect + Verifier.verify / Prover.setup over a local WebSocket relay',
    limits: { max_sent_data: MAX_SENT_DATA, max_recv_data: MAX_RECV_DATA },
    proverSetup: setup,
    verifierAfterProverFreed: verifierEnd.ok
      ? 'resolved'
      : /unexpected end of file$/.test(verifierEnd.error) ? 'rejected: unexpected end of file' : verifierEnd.error,
    relayMiB: { verifierToProver: mib(stats.bytes[0]), proverToVerifier: mib(stats.bytes[1]) },
  };
}
