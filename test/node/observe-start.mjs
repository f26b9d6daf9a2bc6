// Preloaded with `node --import` by run-start.test.mjs: records what a process starts (worker
// threads, child processes), which V8 flags it sets and whether it loaded Node's fetch, and writes it as JSON to the file named by
// WEFT_OBSERVE_FILE when the process exits. Only the main thread is observed.
import { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const file = process.env.WEFT_OBSERVE_FILE;
if (isMainThread && file) {
  const require = createRequire(import.meta.url);
  const workerThreads = require('node:worker_threads');
  const childProcess = require('node:child_process');
  const v8 = require('node:v8');
  const seen = { workers: 0, childProcesses: [], v8Flags: [], workersAtFirstOutput: undefined };

  const OriginalWorker = workerThreads.Worker;
  workerThreads.Worker = class ObservedWorker extends OriginalWorker {
    constructor(...args) {
      super(...args);
      seen.workers++;
    }
  };
  for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']) {
    const original = childProcess[name];
    childProcess[name] = function observed(...args) {
      seen.childProcesses.push(`${name} ${String(args[0])}`);
      return original.apply(this, args);
    };
  }
  const setFlags = v8.setFlagsFromString;
  v8.setFlagsFromString = (flags) => {
    seen.v8Flags.push(flags);
    return setFlags(flags);
  };
  // Why: `import { Worker } from 'node:worker_threads'` binds the ES module's export, which
  // follows the CommonJS object only after this call.
  syncBuiltinESMExports();

  const write = process.stdout.write;
  process.stdout.write = function observedWrite(...args) {
    seen.workersAtFirstOutput ??= seen.workers;
    return write.apply(this, args);
  };
  process.on('exit', () => {
    // Whether Node loaded its fetch implementation (undici: about 40 ms), e.g. by reading the
    // `Response` global; a program run from a file never needs it.
    seen.loadedFetch = process.moduleLoadList.some((name) => name.includes('undici'));
    writeFileSync(file, JSON.stringify(seen));
  });
}
