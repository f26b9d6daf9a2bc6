import { createNodeWorkerPort } from './node-port.js';
import { startWorker } from './worker-main.js';

startWorker(createNodeWorkerPort());
