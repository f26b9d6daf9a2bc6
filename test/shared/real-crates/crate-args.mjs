// The arguments of each real crate's check, from the repository's root URL: a file: URL in Node,
// Deno and Bun, the test server's URL in the browser. The crates' own glue is loaded from
// node_modules as published.
export const REAL_CRATES = ['tfhe', 'oxipng', 'provable', 'tlsn'];

/** Threads each crate's pool gets where the check chooses (oxipng picks navigator.hardwareConcurrency). */
export const CRATE_THREADS = 2;

export function crateArgs(crate, root, { relayUrl } = {}) {
  const at = (path) => new URL(path, root).href;
  switch (crate) {
    case 'tfhe':
      return [at('node_modules/tfhe/tfhe.js'), CRATE_THREADS];
    case 'oxipng':
      return [at('node_modules/@jsquash/oxipng/optimise.js')];
    case 'provable':
      return [at('node_modules/@provablehq/wasm/dist/testnet/index.js'), CRATE_THREADS];
    case 'tlsn':
      return [at('node_modules/tlsn-wasm/tlsn_wasm.js'), CRATE_THREADS, relayUrl];
    default:
      throw new Error(`unknown crate ${crate}`);
  }
}

/** Runs one crate's check in a new web worker (crate-worker.mjs); resolves to `{ result, workersStarted }`. */
export function runCrateInWorker(crate, args) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./crate-worker.mjs', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      // No listener left: in Node, Deno and Bun nothing of the crate's may keep the process alive now.
      worker.onmessage = null;
      worker.onerror = null;
      if (data.error !== undefined) reject(new Error(data.error));
      else resolve(data);
    };
    worker.onerror = (event) => reject(event.error ?? new Error(event.message));
    worker.postMessage({ crate, args });
  });
}
