import { createControlViews, computeControlLayout } from '../protocol/control-layout.js';
import { ENVELOPE, type ThreadRegion } from '../protocol/messages.js';
import { Dispatcher } from './dispatcher.js';
import { inspectModule } from './module-info.js';
import { chooseWakeMode } from './option-checks.js';
import { loadModule } from './module-source.js';
import { type PoolOptions, resolvePoolOptions } from './options.js';
import type { Platform, WorkerHandle } from './platform.js';
import { Pool } from './pool.js';
import { startWorkers } from './start-workers.js';
import { allocateThreadRegions, provideMemory } from './thread-memory.js';

/**
 * Loads the module, creates (or checks) the shared memory, starts every worker and
 * instantiates the module in each, then resolves to a ready pool.
 */
export async function createPoolOn(platform: Platform, options: PoolOptions): Promise<Pool> {
  const resolved = resolvePoolOptions(options);
  platform.assertSharedMemoryAvailable();
  platform.prepareEngine({ nodeLiftoffWorkaround: resolved.nodeLiftoffWorkaround });

  const { module, bytes } = await loadModule(options.module, platform);
  const info = inspectModule(module, bytes, options.memory !== undefined);
  const memory = provideMemory(info.memoryImport, options.memory);
  const threads = resolved.threads ?? platform.defaultThreadCount();
  const regions: (ThreadRegion | null)[] = info.needsThreadRegions
    ? allocateThreadRegions(memory, threads, resolved.stackSize)
    : new Array<null>(threads).fill(null);

  const layout = computeControlLayout(resolved.queueCapacity, Math.max(threads, 1));
  const control = new SharedArrayBuffer(layout.byteLength);
  const views = createControlViews(control);
  const wake = chooseWakeMode(resolved.wake, platform.hasWaitAsync());

  let pool: Pool | undefined;
  let workers: WorkerHandle[] = [];
  const dispatcher = new Dispatcher(views, layout, threads, {
    wake,
    maxQueuedTasks: resolved.maxQueuedTasks,
    keepAlive: (alive) => {
      for (const worker of workers) worker.keepAlive(alive);
    },
  });
  workers = await startWorkers({
    platform,
    count: threads,
    timeoutMs: resolved.startTimeout,
    initFor: (threadId) => ({
      weft: ENVELOPE,
      type: 'init',
      threadId,
      module,
      memory,
      memoryImport: { module: info.memoryImport.module, name: info.memoryImport.name },
      control,
      queueCapacity: layout.queueCapacity,
      maxThreads: layout.maxThreads,
      exportNames: info.functionExports,
      region: regions[threadId] ?? null,
      wake,
      spinMicros: resolved.spinMicros,
    }),
    onMessage: (_threadId, message) => pool?.handleMessage(message),
    onFailure: (threadId, error) => pool?.handleWorkerFailure(threadId, error),
  });
  for (const worker of workers) worker.keepAlive(false);
  pool = new Pool(module, memory, info, workers, dispatcher, platform.terminateStopsRunningCode);
  return pool;
}
