// The first code of every thread that weft's web `Worker` starts: the web's worker globals,
// then the worker's own script.
import { type MessagePort as ThreadPort, parentPort, workerData } from 'node:worker_threads';
import { installWebWorkers } from './install.js';
import { uncaughtErrorReport } from './worker-report.js';
import { installWorkerScope } from './worker-scope.js';
import { runWorkerScript, type WorkerScript } from './worker-script.js';

const { script, reports } = workerData as { script: WorkerScript; reports: ThreadPort };
installWebWorkers();
installWorkerScope(parentPort as ThreadPort, reports, script);
try {
  await runWorkerScript(script);
} catch (error) {
  // Why: on the web a worker whose script fails to load or throws at top level reports an
  // `error` event to its creator and runs nothing more.
  reports.postMessage(uncaughtErrorReport(error));
  process.exit(1);
}
