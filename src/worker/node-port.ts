import { parentPort } from 'node:worker_threads';
import type { WorkerPort } from './worker-port.js';

/** The WorkerPort of a worker_threads Worker. */
export function createNodeWorkerPort(): WorkerPort {
  if (parentPort === null) throw new Error('weft: this module must run in a worker_threads Worker, not on the main thread.');
  const port = parentPort;
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    // Why: Deno's parentPort (2.x) has no close(), and calling it threw an uncaught TypeError
    // in every worker whose loop ended; unref() lets the worker's event loop end there just the
    // same (Node and Bun have close()).
    close: () => (typeof port.close === 'function' ? port.close() : port.unref()),
  };
}
