// Child process of the "wasi" bench family (bench/wasi.mjs): runs one wasi-threads program a few
// times on one host and reports each run's time and result to the parent over IPC. The parent
// forks one of these per attempt and kills it when it runs past its time or memory limit, which
// is how a host that hangs (or keeps a worker per finished thread) is reported instead of
// blocking the bench.
//
//   node wasi-child.mjs '{"host":"weft"|"emnapi","wasm":PATH,"args":[...],"preopens":{GUEST:HOST},
//                         "warmup":0,"runs":1,"maxThreads":64,"distUrl":URL}'
//
// Messages to the parent: { type: 'ready' } once the host is loaded (before the first run), then
// { type: 'done', runs: [{ ms, exitCode } | { ms, error: { name, message, threadId } }] } (warm-up
// runs are not in the list). The program's stdout and stderr are written to this process's fd 1
// and 2 (fs.writeSync), from every thread, in both hosts. Each run starts from the wasm bytes
// (compile, memory, instantiation, workers), so run times include program start and exit.
import { readFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const spec = JSON.parse(process.argv[2]);
const bytes = readFileSync(spec.wasm);
const programName = spec.wasm.split('/').pop();

async function loadHost() {
  if (spec.host === 'weft') {
    const { runWasi } = await import(new URL('node.js', spec.distUrl).href);
    if (typeof runWasi !== 'function') throw new Error('dist/node.js exports no runWasi');
    return () =>
      runWasi(bytes, {
        args: spec.args,
        programName,
        preopens: spec.preopens,
        maxThreads: spec.maxThreads,
        stdout: (b) => writeSync(1, b),
        stderr: (b) => writeSync(2, b),
      });
  }
  if (spec.host === 'emnapi') {
    const { runEmnapiWasi } = await import('./emnapi-wasi.mjs');
    return () => runEmnapiWasi(bytes, { args: spec.args, programName, preopens: spec.preopens });
  }
  throw new Error(`unknown host ${spec.host}`);
}

function errorInfo(err) {
  if (typeof err === 'symbol') return { name: 'symbol', message: String(err) };
  return { name: err?.name ?? 'Error', message: String(err?.message ?? err), threadId: err?.threadId };
}

const send = (msg) => new Promise((resolve) => process.send(msg, resolve));

let run;
try {
  run = await loadHost();
} catch (err) {
  await send({ type: 'done', loadError: errorInfo(err) });
  process.exit(0);
}
await send({ type: 'ready' });
const runs = [];
for (let i = 0; i < spec.warmup + spec.runs; i++) {
  const t0 = performance.now();
  let result;
  try {
    const { exitCode } = await run();
    result = { ms: performance.now() - t0, exitCode };
  } catch (err) {
    result = { ms: performance.now() - t0, error: errorInfo(err) };
  }
  if (i >= spec.warmup) runs.push(result);
  // Let the host's teardown (ended workers, closed ports) happen before the next run starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await send({ type: 'done', runs });
// Threads a host left running (or blocked) must not keep this process alive.
process.exit(0);
