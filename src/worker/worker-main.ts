import { serializeError } from '../errors/serialize.js';
import { createControlViews, computeControlLayout } from '../protocol/control-layout.js';
import type { BindgenInitMessage } from '../protocol/bindgen-messages.js';
import { ENVELOPE, type InitMessage, isWeftMessage, type WasiInitMessage } from '../protocol/messages.js';
import { instantiateRawModule } from '../producers/raw-module.js';
import { runBindgenThread } from './bindgen-thread.js';
import { runThreadLoop } from './thread-loop.js';
import { WasiThreadWorker } from './wasi-thread-loop.js';
import type { WorkerPort } from './worker-port.js';

/**
 * Waits for the one init message, instantiates the module, reports ready, then runs the task
 * loop until the pool stops. Everything after start-up goes through shared memory.
 */
export function startWorker(port: WorkerPort): void {
  let started = false;
  port.onMessage((data) => {
    if (started || !isWeftMessage(data)) return;
    if (data.type === 'init') {
      started = true;
      void initialize(port, data as InitMessage);
    } else if (data.type === 'init-wasi') {
      started = true;
      void initializeWasiThread(port, data as WasiInitMessage);
    } else if (data.type === 'init-bindgen') {
      started = true;
      void runBindgenThread(port, data as BindgenInitMessage, undefined);
    }
  });
}

async function initializeWasiThread(port: WorkerPort, init: WasiInitMessage): Promise<void> {
  try {
    await new WasiThreadWorker(init, (message) => port.post(message)).run();
  } catch (error) {
    port.post({ weft: ENVELOPE, type: 'init-failed', threadId: init.threadId, error: serializeError(error) });
  }
}

async function initialize(port: WorkerPort, init: InitMessage): Promise<void> {
  let instance;
  try {
    instance = await instantiateRawModule(init);
  } catch (error) {
    port.post({ weft: ENVELOPE, type: 'init-failed', threadId: init.threadId, error: serializeError(error) });
    return;
  }
  const functions = init.exportNames.map((name) => instance.exports[name] as (...args: unknown[]) => unknown);
  port.post({ weft: ENVELOPE, type: 'ready', threadId: init.threadId });
  runThreadLoop({
    threadId: init.threadId,
    views: createControlViews(init.control),
    layout: computeControlLayout(init.queueCapacity, init.maxThreads),
    instance,
    functions,
    exportNames: init.exportNames,
    wake: init.wake,
    spinMicros: init.spinMicros,
    post: (message) => port.post(message),
  });
  port.close();
}
