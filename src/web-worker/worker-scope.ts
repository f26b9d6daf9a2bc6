import type { MessagePort as ThreadPort } from 'node:worker_threads';
import { MessageTarget } from './message-target.js';
import { terminateWebWorkers } from './web-worker.js';
import { uncaughtErrorReport } from './worker-report.js';
import { readScriptSync, runClassicScript, type WorkerScript } from './worker-script.js';

/** Matches only this thread's global object, so `self instanceof WorkerGlobalScope` holds as on the web. */
function globalScopeClass(name: string): unknown {
  const scopeClass = { [name]: class {} }[name] as object;
  Object.defineProperty(scopeClass, Symbol.hasInstance, { value: (value: unknown) => value === globalThis });
  return scopeClass;
}

/**
 * Gives this worker thread the globals of the web's `DedicatedWorkerGlobalScope`: `self`,
 * `name`, `location`, `postMessage`, `addEventListener`/`onmessage`, `close`, `importScripts`
 * (classic workers), and `WorkerGlobalScope`/`DedicatedWorkerGlobalScope` for glue that checks
 * where it runs. Messages wait until the script listens for them, as on a `MessagePort` that
 * starts when its `onmessage` is set: a module worker may add its listener after top-level awaits.
 */
export function installWorkerScope(port: ThreadPort, reports: ThreadPort, script: WorkerScript): void {
  const waiting: unknown[] = [];
  let closing = false;
  let flushing = false;
  const flush = (): void => {
    if (flushing) return;
    flushing = true;
    setImmediate(() => {
      flushing = false;
      while (!closing && waiting.length > 0 && target.hasMessageListener) target.dispatchMessage('message', waiting.shift());
    });
  };
  let reporting = false;
  const reportUncaught = (error: unknown): void => {
    // Why: on the web an uncaught error in a worker goes to the worker's own `error` listeners,
    // then (unless one cancels it) to the creator's `error` event, and the worker goes on; in a
    // Node worker thread it would end the thread.
    if (reporting) return void console.error('Uncaught', error);
    reporting = true;
    try {
      if (target.dispatchError(error, script.url)) reports.postMessage(uncaughtErrorReport(error));
    } finally {
      reporting = false;
    }
  };
  const target = new MessageTarget(() => {
    if (target.hasMessageListener && waiting.length > 0) flush();
  }, reportUncaught);
  // Why before the globals below: Deno's process hooks itself to the global `error` event when
  // the first handler is added; that must be Deno's own global, not this worker's target.
  process.on('uncaughtException', reportUncaught);
  process.on('unhandledRejection', (reason) => console.error('Uncaught (in promise)', reason));
  port.on('message', (data: unknown) => {
    if (closing) return;
    if (waiting.length === 0 && target.hasMessageListener) target.dispatchMessage('message', data);
    else waiting.push(data);
  });
  port.on('messageerror', (error: unknown) => target.dispatchMessage('messageerror', error));

  const define = (name: string, value: unknown): void => {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
  };
  define('self', globalThis);
  define('name', script.name);
  define('location', new URL(script.url));
  define('WorkerGlobalScope', globalScopeClass('WorkerGlobalScope'));
  define('DedicatedWorkerGlobalScope', globalScopeClass('DedicatedWorkerGlobalScope'));
  define('addEventListener', target.addEventListener.bind(target));
  define('removeEventListener', target.removeEventListener.bind(target));
  define('dispatchEvent', target.dispatchEvent.bind(target));
  for (const handler of ['onmessage', 'onmessageerror', 'onerror'] as const) {
    Object.defineProperty(globalThis, handler, {
      get: () => target[handler],
      set: (value: MessageTarget['onmessage']) => {
        target[handler] = value;
      },
      configurable: true,
      enumerable: true,
    });
  }
  define('postMessage', (message: unknown, transfer?: readonly Transferable[] | StructuredSerializeOptions) => {
    if (closing) return;
    const list = Array.isArray(transfer) ? transfer : ((transfer as StructuredSerializeOptions | undefined)?.transfer ?? []);
    port.postMessage(message, list as never);
  });
  define('close', () => {
    // Why: the web's close() lets the running task finish, then ends the worker; in a Node
    // worker thread, process.exit ends that thread only.
    closing = true;
    waiting.length = 0;
    terminateWebWorkers();
    setImmediate(() => process.exit(0));
  });
  define('importScripts', (...urls: unknown[]) => {
    if (script.type === 'module') throw new TypeError('importScripts() is not available in module workers: use import.');
    const resolved = urls.map((url) => new URL(String(url), script.url));
    for (const url of resolved) runClassicScript(readScriptSync(url), url.href);
  });

}
