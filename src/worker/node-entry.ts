import { parentPort } from 'node:worker_threads';
import { startWorker } from './worker-main.js';

if (parentPort === null) throw new Error('weft: node-entry.js must run in a worker_threads Worker.');
const port = parentPort;
startWorker({
  post: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', listener),
  close: () => port.close(),
});
