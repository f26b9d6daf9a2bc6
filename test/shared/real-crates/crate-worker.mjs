// Runs one real crate's check in a web worker, as browser apps must (rayon's threads block the
// thread that waits for them, which a page's main thread may not), and counts the workers the
// crate's own glue starts. Used by test/browser/pages/real-crates.html (Chromium) and by
// test/fixtures/real-crates/child.mjs (Node, Deno and Bun through weft/web-worker).
const NativeWorker = globalThis.Worker;
let workersStarted = 0;
globalThis.Worker = new Proxy(NativeWorker, {
  construct(target, args) {
    workersStarted++;
    return Reflect.construct(target, args);
  },
});

onmessage = async ({ data: { crate, args } }) => {
  try {
    const module = await import(`./${crate}.mjs`);
    const run = module[`run${crate[0].toUpperCase()}${crate.slice(1)}`];
    const result = await run(...args);
    postMessage({ result, workersStarted, hardwareConcurrency: navigator.hardwareConcurrency });
  } catch (error) {
    postMessage({ error: String(error?.stack ?? error) });
  }
};
