// Raw postMessage peer: echoes every message straight back (round-trip and pipelined rows).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => parentPort.postMessage(m));
