import { describeValue, MAX_POOL_THREADS, resolveStartOptions } from '../core/option-checks.js';
import type { Platform } from '../core/platform.js';
import { InvalidArgumentError, InvalidOptionError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import type { GlueInitForm } from '../protocol/bindgen-messages.js';
import type { WorkerToHostMessage } from '../protocol/messages.js';
import { activeRayonThreadStarter, initThreadPoolThrough, type RayonThreadRequest } from '../producers/rayon-shim.js';
import { describeGlueProblem, glueExport, type GlueNamespace } from '../producers/wasm-bindgen-glue.js';
import type { RayonThread } from '../wasm-bindgen/bindgen-pool.js';
import { platformWithWorkerFactory, startRayonThread } from '../wasm-bindgen/bindgen-workers.js';
import { isGlueInitForm } from '../wasm-bindgen/options.js';

/** The `wbg_rayon_PoolBuilder` that wasm-bindgen-rayon's Rust side hands to `startWorkers`. */
export interface RayonPoolBuilder {
  /** The thread count given to the glue's `initThreadPool(n)`. */
  numThreads(): number;
  /** The address of the channel each rayon thread takes its start from (`wbg_rayon_start_worker(receiver)`). */
  receiver(): number;
  /** Builds rayon's global pool; returns once every thread has started. */
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

/**
 * Sets how the drop-in `startWorkers` finds the glue (a bundler alias cannot pass its URL).
 * @throws InvalidOptionError naming an option of the wrong type or range; the settings stay as they were.
 */
export function configureRayon(options: RayonHelperOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'configureRayon() takes an options object, e.g. configureRayon({ glue: new URL("./pkg/my_crate.js", import.meta.url) }).');
  if (options.glue !== undefined && typeof options.glue !== 'string' && !(options.glue instanceof URL)) {
    throw new InvalidOptionError('glue', `"glue" must be the URL (Node: or path) of the wasm-bindgen glue, e.g. new URL('./pkg/my_crate.js', import.meta.url), got ${describeValue(options.glue)}.`);
  }
  if (options.createWorker !== undefined && typeof options.createWorker !== 'function') {
    throw new InvalidOptionError('createWorker', '"createWorker" must be a function that returns a new Worker.');
  }
  if (options.initForm !== undefined && !isGlueInitForm(options.initForm)) {
    throw new InvalidOptionError('initForm', `"initForm" must be "auto", "positional" or "object", got ${describeValue(options.initForm)}.`);
  }
  if (options.startTimeout !== undefined) resolveStartOptions({ startTimeout: options.startTimeout });
  if (options.onThreadError !== undefined && typeof options.onThreadError !== 'function') {
    throw new InvalidOptionError('onThreadError', `"onThreadError" must be a function that receives the Error, got ${describeValue(options.onThreadError)}.`);
  }
  settings = { ...settings, ...options };
}

/**
 * What the glue's `initThreadPool(n)` calls in place of wasm-bindgen-rayon's shipped helper:
 * starts n weft workers that initialize the glue on `module` and `memory` and enter the rayon
 * loop, then builds rayon's global pool. `importedAs` is the URL this helper was imported by;
 * a `?glue=` there (set by weft's Node loader hook) names the glue.
 */
export async function startRayonWorkersOn(
  platform: Platform,
  importedAs: string,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  builder: RayonPoolBuilder,
): Promise<void> {
  checkBuilder(builder);
  const count: unknown = builder.numThreads();
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_POOL_THREADS) {
    throw new InvalidOptionError('threads', `initThreadPool(${describeValue(count)}): a rayon pool needs an integer number of threads from 1 to ${MAX_POOL_THREADS}.`);
  }
  checkModuleAndMemory(module, memory);
  const poolStarter = activeRayonThreadStarter();
  if (poolStarter !== undefined) {
    // A weft pool (createBindgenPool's rayonThreads, or startRayonPool) is building this rayon
    // pool: it starts and owns the threads.
    const receiver = builder.receiver();
    // Why: until initThreadPool returns, `Worker` is weft's stand-in; a thread started now from
    // this very thread would be made with it. One microtask later it is the real one again.
    await Promise.resolve();
    await Promise.all(Array.from({ length: count }, () => poolStarter({ module, memory, receiver })));
    builder.build();
    return;
  }
  const glueFromImport = new URL(importedAs).searchParams.get('glue');
  if (glueFromImport === null && settings.glue === undefined && settings.createWorker === undefined) {
    throw new InvalidOptionError(
      'glue',
      'weft\'s wasm-bindgen-rayon helper does not know which glue to load on its threads. In Node, start with `node --import weft/wasm-bindgen-rayon/register`; ' +
        'with a bundler alias, call configureRayon({ createWorker }) (or { glue }) from \'weft/wasm-bindgen-rayon\' before initThreadPool(); ' +
        'without a bundler, call startRayonPool({ glue, threads }) from \'weft/wasm-bindgen-rayon\' instead of the glue\'s initThreadPool.',
    );
  }
  const starter = rayonThreadStarter(platform, glueFromImport ?? settings.glue, glueFromImport === null ? settings.createWorker : undefined);
  const receiver = builder.receiver();
  const outcomes = await Promise.allSettled(Array.from({ length: count }, () => starter.start({ module, memory, receiver })));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) {
    await starter.endAll();
    throw failed.reason;
  }
  builder.build();
}

// Why these checks: the glue calls startWorkers right, but a caller that imports the helper
// directly may pass anything, and a raw TypeError would not say what startWorkers takes.
const STARTWORKERS_USAGE = 'the glue\'s initThreadPool(n) calls it with these';

function checkBuilder(builder: unknown): asserts builder is RayonPoolBuilder {
  const members = builder as Partial<Record<keyof RayonPoolBuilder, unknown>> | null;
  if (typeof members !== 'object' || members === null || typeof members.numThreads !== 'function' || typeof members.receiver !== 'function' || typeof members.build !== 'function') {
    throw new InvalidArgumentError(`startWorkers(module, memory, builder): "builder" must be wasm-bindgen-rayon's wbg_rayon_PoolBuilder (numThreads, receiver, build), got ${describeValue(builder)} (${STARTWORKERS_USAGE}).`);
  }
}

function checkModuleAndMemory(module: unknown, memory: unknown): void {
  if (!(module instanceof WebAssembly.Module)) {
    throw new InvalidArgumentError(`startWorkers(module, memory, builder): "module" must be the glue's compiled WebAssembly.Module, got ${describeValue(module)} (${STARTWORKERS_USAGE}).`);
  }
  if (!(memory instanceof WebAssembly.Memory) || !(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer)) {
    throw new InvalidArgumentError(`startWorkers(module, memory, builder): "memory" must be the glue's shared WebAssembly.Memory, got ${describeValue(memory)} (${STARTWORKERS_USAGE}).`);
  }
}

/** Options of `startRayonPool`. */
export interface StartRayonPoolOptions {
  /**
   * The glue: its URL (Node: or path), imported here and on every rayon thread, after the
   * caller's own `init()`; or its namespace, together with `createWorker`.
   */
  readonly glue: string | URL | GlueNamespace;
  /** Threads in rayon's pool. */
  readonly threads: number;
  /** Makes one worker running `serveBindgenThread(glue)`; needed with a glue namespace. */
  readonly createWorker?: () => unknown;
}

/**
 * Builds the glue's rayon pool on weft threads, in place of calling the glue's own
 * `initThreadPool(threads)`, with no alias, loader hook or import map: for plain ES modules
 * (import maps do not reach module workers) and anywhere the snippet cannot be swapped. Call it
 * after the glue's `init()`, on a worker (rayon's pool start may block the calling thread).
 */
export async function startRayonPoolOn(platform: Platform, options: StartRayonPoolOptions): Promise<void> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'startRayonPool() takes { glue, threads }.');
  if (!(typeof options.threads === 'number' && Number.isInteger(options.threads) && options.threads > 0 && options.threads <= MAX_POOL_THREADS)) {
    throw new InvalidOptionError('threads', `"threads" must be an integer from 1 to ${MAX_POOL_THREADS}, got ${describeValue(options.threads)}.`);
  }
  if (options.createWorker !== undefined && typeof options.createWorker !== 'function') {
    throw new InvalidOptionError('createWorker', `"createWorker" must be a function that returns a new Worker, got ${describeValue(options.createWorker)}.`);
  }
  const byUrl = typeof options.glue === 'string' || options.glue instanceof URL;
  if (!byUrl && options.createWorker === undefined) {
    throw new InvalidOptionError('glue', 'With a glue namespace, pass "createWorker" too (a worker that calls serveBindgenThread(glue)), or pass the glue\'s URL.');
  }
  const glueUrl = byUrl ? platform.toAbsoluteUrl(options.glue as string | URL) : undefined;
  // Why: importing the glue's URL again gives the very module instance the caller initialized
  // (one instance per URL in a realm), whose initThreadPool must run.
  const glue: unknown = glueUrl === undefined ? options.glue : await importGlue(glueUrl);
  const problem = describeGlueProblem(glue);
  if (problem !== undefined) throw new InvalidOptionError('glue', `"glue" is not wasm-bindgen glue: ${problem}.`);
  if (typeof glueExport(glue as GlueNamespace, 'initThreadPool') !== 'function') {
    throw new InvalidOptionError('glue', 'The glue has no initThreadPool export: only crates that use wasm-bindgen-rayon (and re-export its init_thread_pool) have a rayon pool to start.');
  }
  const starter = rayonThreadStarter(platform, glueUrl, options.createWorker);
  let threadsRequested = 0;
  try {
    await initThreadPoolThrough(glue as GlueNamespace, options.threads, (request) => {
      threadsRequested++;
      return starter.start(request).then(() => undefined);
    });
  } catch (error) {
    await starter.endAll();
    // Why not check first: glue from wasm-bindgen 0.2.106 on no longer marks its init (the
    // `__wbindgen_wasm_module` property is gone); an uninitialized glue's initThreadPool fails
    // on its missing wasm exports before it asks for any thread.
    if (threadsRequested === 0 && error instanceof TypeError) {
      throw new InvalidOptionError('glue', `The glue is not initialized on this thread yet: call its default init() first, then startRayonPool(). (${error.message})`);
    }
    throw error;
  }
}

async function importGlue(glueUrl: string): Promise<unknown> {
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ glueUrl)) as unknown;
  } catch (error) {
    throw new InvalidOptionError('glue', `Could not import the glue ${glueUrl}: ${(error as Error).message}. Check that "glue" names the pkg/<crate>.js wasm-bindgen wrote.`);
  }
}

/** Starts rayon threads for one pool start, keeping them in `running`. */
function rayonThreadStarter(platform: Platform, glue: string | URL | undefined, createWorker: (() => unknown) | undefined) {
  const report = (error: Error): void => (settings.onThreadError ?? ((e: Error) => console.error('weft: a wasm-bindgen-rayon thread failed:', e)))(error);
  const events = {
    onMessage: (threadId: number, message: WorkerToHostMessage) => {
      if (message.type === 'bindgen-thread-failed') report(Object.assign(deserializeError(message.error), { threadId }));
    },
    onFailure: (_threadId: number, error: Error) => report(error),
  };
  const mine: RayonThread[] = [];
  return {
    async start(request: RayonThreadRequest): Promise<RayonThread> {
      const setup = {
        platform: platformWithWorkerFactory(platform, createWorker),
        glueUrl: glue === undefined ? null : platform.toAbsoluteUrl(glue),
        module: request.module,
        memory: request.memory,
        initForm: settings.initForm ?? 'auto',
        threadStackSize: null,
        startTimeout: settings.startTimeout ?? 60_000,
      };
      const thread = await startRayonThread(setup, nextThreadId++, request.receiver, events);
      // Why: Firefox has collected workers with no live reference (bug 1702191); keep them here.
      mine.push(thread);
      running.push(thread);
      return thread;
    },
    async endAll(): Promise<void> {
      for (const thread of mine) running.splice(running.indexOf(thread), 1);
      await Promise.allSettled(mine.map((thread) => thread.worker.terminate()));
    },
  };
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
