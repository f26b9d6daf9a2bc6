import { startWorker } from './worker-main.js';

// Why: module Web Workers run this file; `self` is the DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
};
startWorker({
  post: (message) => scope.postMessage(message),
  onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data)),
  close: () => scope.close(),
});
