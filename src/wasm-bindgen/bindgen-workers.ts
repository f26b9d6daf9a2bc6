import type { Platform } from '../core/platform.js';
import { startWorkers } from '../core/start-workers.js';
import type { BindgenInitMessage, BindgenThreadMemory, GlueInitForm } from '../protocol/bindgen-messages.js';
import { ENVELOPE, type WorkerToHostMessage } from '../protocol/messages.js';
import type { RayonThread } from './bindgen-pool.js';

/** Everything a wasm-bindgen thread is started with, whatever its role. */
export interface BindgenThreadSetup {
  /** The platform, with `createWorker` making the caller's workers when it gave a factory. */
  readonly platform: Platform;
  readonly glueUrl: string | null;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly initForm: GlueInitForm;
  readonly threadStackSize: number | null;
  readonly startTimeout: number;
}

/** The platform whose workers come from `createWorker` when the caller gave one. */
export function platformWithWorkerFactory(platform: Platform, createWorker: (() => unknown) | undefined): Platform {
  if (createWorker === undefined) return platform;
  return { ...platform, createWorker: () => platform.adoptWorker(createWorker(), 'createWorker') };
}

/** The init message of one wasm-bindgen thread. */
export function bindgenInit(setup: BindgenThreadSetup, threadId: number, extra: Pick<BindgenInitMessage, 'role' | 'rayonThreads' | 'receiver' | 'fastCalls'>): BindgenInitMessage {
  return {
    weft: ENVELOPE,
    type: 'init-bindgen',
    threadId,
    glueUrl: setup.glueUrl,
    module: setup.module,
    memory: setup.memory,
    initForm: setup.initForm,
    threadStackSize: setup.threadStackSize,
    ...extra,
  };
}

/**
 * Starts one wasm-bindgen-rayon pool thread: it initializes the glue, reports where its stack
 * and TLS are, and enters `wbg_rayon_start_worker(receiver)`, which never returns. In Node the
 * thread does not keep the process alive: it is idle whenever no caller waits on rayon work.
 */
export async function startRayonThread(
  setup: BindgenThreadSetup,
  threadId: number,
  receiver: number,
  events: { onMessage(threadId: number, message: WorkerToHostMessage): void; onFailure(threadId: number, error: Error): void },
): Promise<RayonThread> {
  let threadMemory: BindgenThreadMemory | null = null;
  const [worker] = await startWorkers({
    platform: setup.platform,
    count: 1,
    firstThreadId: threadId,
    timeoutMs: setup.startTimeout,
    initFor: (id) => bindgenInit(setup, id, { role: 'rayon', rayonThreads: 0, receiver, fastCalls: null }),
    onReady: (_id, message) => {
      threadMemory = message.threadMemory ?? null;
    },
    onMessage: events.onMessage,
    onFailure: events.onFailure,
  });
  worker!.keepAlive(false);
  return { threadId, worker: worker!, threadMemory };
}
