import type { WorkerPort } from './worker-port.js';

/** The WorkerPort of a module Web Worker. */
export function createBrowserWorkerPort(): WorkerPort {
  // Why: module Web Workers run this; `self` is the DedicatedWorkerGlobalScope.
  const scope = self as unknown as {
    postMessage(message: unknown): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
    close(): void;
  };
  return {
    post: (message) => scope.postMessage(message),
    onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data)),
    close: () => scope.close(),
  };
}
