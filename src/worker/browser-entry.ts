import { createBrowserWorkerPort } from './browser-port.js';
import { startWorker } from './worker-main.js';

startWorker(createBrowserWorkerPort());
