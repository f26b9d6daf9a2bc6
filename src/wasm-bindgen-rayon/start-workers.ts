import type { Platform } from '../core/platform.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import type { GlueInitForm } from '../protocol/bindgen-messages.js';
import type { WorkerToHostMessage } from '../protocol/messages.js';
import type { RayonThread } from '../wasm-bindgen/bindgen-pool.js';
import { platformWithWorkerFactory, startRayonThread } from '../wasm-bindgen/bindgen-workers.js';
import { deserializeError } from '../errors/serialize.js';

/** The `wbg_rayon_PoolBuilder` that wasm-bindgen-rayon's Rust side hands to `startWorkers`. */
export interface RayonPoolBuilder {
  numThreads(): number;
  receiver(): number;
  build(): void;
}

/** Settings of the drop-in `startWorkers`, for when the glue's URL cannot be learnt from the import. */
export interface RayonHelperOptions {
  /** URL (Node: or path) of the wasm-bindgen glue whose `initThreadPool` will be called. */
  readonly glue?: string | URL;
  /** Makes one worker running `serveBindgenThread(glue)` (bundlers); see createBindgenPool. */
  readonly createWorker?: () => unknown;
  /** How the glue's `init` is called; detected by default. */
  readonly initForm?: GlueInitForm;
  /** Milliseconds to wait for the threads to start; default 60,000. */
  readonly startTimeout?: number;
  /**
   * Told when a rayon thread fails after starting (a job panicked, or the worker died). The
   * rayon call waiting on it cannot return; default: the error is written to the console.
   */
  readonly onThreadError?: (error: Error) => void;
}

let settings: RayonHelperOptions = {};
const running: RayonThread[] = [];
let nextThreadId = 0;

/** Sets how the drop-in `startWorkers` finds the glue (a bundler alias cannot pass its URL). */
export function configureRayon(options: RayonHelperOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'configureRayon() takes an options object, e.g. configureRayon({ glue: new URL("./pkg/my_crate.js", import.meta.url) }).');
  if (options.createWorker !== undefined && typeof options.createWorker !== 'function') {
    throw new InvalidOptionError('createWorker', '"createWorker" must be a function that returns a new Worker.');
  }
  settings = { ...settings, ...options };
}

/**
 * What the glue's `initThreadPool(n)` calls in place of wasm-bindgen-rayon's shipped helper:
 * starts n weft workers that initialize the glue on `module` and `memory` and enter the rayon
 * loop, then builds rayon's global pool. `importedAs` is the URL this helper was imported by;
 * a `?glue=` there (set by weft's Node loader hook, or by an import map) names the glue.
 */
export async function startRayonWorkersOn(
  platform: Platform,
  importedAs: string,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  builder: RayonPoolBuilder,
): Promise<void> {
  const count = builder.numThreads();
  if (count === 0) throw new InvalidOptionError('threads', 'initThreadPool(0): a rayon pool needs at least one thread.');
  const glueFromImport = new URL(importedAs).searchParams.get('glue');
  const glue = glueFromImport ?? settings.glue;
  if (glue === undefined && settings.createWorker === undefined) {
    throw new InvalidOptionError(
      'glue',
      'weft\'s wasm-bindgen-rayon helper does not know which glue to load on its threads. In Node, start with `node --import weft/wasm-bindgen-rayon/register`; ' +
        'with an import map, map the snippet to ".../wasm-bindgen-rayon/index.js?glue=<glue URL>"; with a bundler alias, call ' +
        'configureRayon({ createWorker }) (or { glue }) from \'weft/wasm-bindgen-rayon\' before initThreadPool().',
    );
  }
  const setup = {
    platform: platformWithWorkerFactory(platform, glueFromImport === null ? settings.createWorker : undefined),
    glueUrl: glue === undefined ? null : platform.toAbsoluteUrl(glue),
    module,
    memory,
    initForm: settings.initForm ?? 'auto',
    threadStackSize: null,
    startTimeout: settings.startTimeout ?? 60_000,
  };
  const report = (error: Error): void => (settings.onThreadError ?? ((e: Error) => console.error('weft: a wasm-bindgen-rayon thread failed:', e)))(error);
  const events = {
    onMessage: (threadId: number, message: WorkerToHostMessage) => {
      if (message.type === 'bindgen-thread-failed') report(Object.assign(deserializeError(message.error), { threadId }));
    },
    onFailure: (_threadId: number, error: Error) => report(error),
  };
  const receiver = builder.receiver();
  const threads = await Promise.allSettled(Array.from({ length: count }, () => startRayonThread(setup, nextThreadId++, receiver, events)));
  const started = threads.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  // Why: Firefox has collected workers with no live reference (bug 1702191); keep them here.
  running.push(...started);
  const failed = threads.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.allSettled(started.map((thread) => thread.worker.terminate()));
    throw failed.reason;
  }
  builder.build();
}

/**
 * Ends every thread the drop-in helper started. A glue whose rayon threads were ended must not
 * run parallel code again (its calls would wait for ever); use it to let a page or test end cleanly.
 */
export async function stopRayonWorkers(): Promise<void> {
  const threads = running.splice(0);
  await Promise.allSettled(threads.map((thread) => thread.worker.terminate()));
}

/** How many threads the drop-in helper has running (for tests and diagnostics). */
export function rayonWorkerCount(): number {
  return running.length;
}
