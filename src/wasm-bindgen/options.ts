import { checkThreadCount, describeValue, isPositiveInteger, resolveStartOptions } from '../core/option-checks.js';
import type { ModuleSource } from '../core/module-source.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import type { GlueInitForm } from '../protocol/bindgen-messages.js';
import { describeGlueProblem, type GlueNamespace } from '../producers/wasm-bindgen-glue.js';

/** Options of `createBindgenPool`. */
export interface BindgenPoolOptions<Glue = unknown> {
  /**
   * The wasm-bindgen glue (`pkg/<crate>.js`, built with `--target web`): its URL (or, in Node,
   * its path), which weft's own workers import; or the namespace from `import * as glue`, with
   * `createWorker` making workers that import it too (what bundlers need).
   */
  readonly glue: string | URL | (GlueNamespace & Glue);
  /**
   * The `_bg.wasm` module: URL, path (Node), bytes, Response or compiled Module. Default: next
   * to a glue URL (`<crate>.js` → `<crate>_bg.wasm`); with a glue namespace, the module the glue
   * was initialized with on this thread, if it was.
   */
  readonly wasm?: ModuleSource;
  /** The shared memory; by default one with the limits of the module's memory import. */
  readonly memory?: WebAssembly.Memory;
  /** Threads that run glue exports (`run`, `broadcast`), 1 to 256; default 1 with `rayonThreads`, else the hardware concurrency. */
  readonly threads?: number;
  /**
   * For crates that use wasm-bindgen-rayon: weft calls the glue's `initThreadPool(rayonThreads)`
   * on thread 0 and starts the rayon threads itself; up to 256. Default 0 (no rayon pool).
   */
  readonly rayonThreads?: number;
  /**
   * Makes one worker that runs `serveBindgenThread(glue)` from `weft/wasm-bindgen/thread`;
   * needed with a glue namespace, and wherever a bundler must see the worker file, e.g.
   * `() => new Worker(new URL('./bindgen-thread.js', import.meta.url), { type: 'module' })`.
   */
  readonly createWorker?: () => unknown;
  /** How the glue's `init` is called: detected from its source by default (`auto`). */
  readonly initForm?: GlueInitForm;
  /** Stack bytes per thread, for glue of wasm-bindgen 0.2.93+ (`thread_stack_size`); default: the glue's (1 MiB). */
  readonly threadStackSize?: number;
  /** Milliseconds to wait for every thread (and the rayon pool) to start; default 60,000. */
  readonly startTimeout?: number;
  /** Node.js 20 only: turn off Liftoff, which hangs wasm-bindgen-rayon pools (see createPool). Default true. */
  readonly nodeLiftoffWorkaround?: boolean;
  /**
   * Whether calls whose arguments allow it (numbers, BigInts, booleans, undefined, null,
   * strings, typed arrays, DataViews, ArrayBuffers, remote handles) and their results go through
   * shared memory instead of postMessage, with the same results. The glue gets a copy of each
   * typed array it could keep; a typed array whose parameter it only copies into wasm memory
   * (the generated glue of a `&[T]`, `&mut [T]` or `Vec<T>` parameter, read from the function's
   * source) is handed over as a view of that shared memory instead, one copy fewer. Default
   * true; false sends every call by message (bench/RESULTS.md compares the two).
   */
  readonly fastCalls?: boolean;
  /**
   * How the two sides of a fast call wake each other: `'wait-async'` (`Atomics.waitAsync`) or
   * `'message'` (a tiny message). Default: `'wait-async'` where the engine has it (not Firefox).
   */
  readonly wake?: 'wait-async' | 'message';
}

export interface ResolvedBindgenOptions {
  readonly glue: string | URL | GlueNamespace;
  readonly threads: number | undefined;
  readonly rayonThreads: number;
  readonly initForm: GlueInitForm;
  readonly threadStackSize: number | null;
  readonly startTimeout: number;
  readonly nodeLiftoffWorkaround: boolean;
  readonly createWorker: (() => unknown) | undefined;
  readonly fastCalls: boolean;
  readonly wake: 'wait-async' | 'message' | undefined;
}

const INIT_FORMS = new Set(['auto', 'positional', 'object']);

/** The largest stack a wasm32 thread can have: its whole memory is at most 4 GiB. */
const MAX_THREAD_STACK_SIZE = 2 ** 32 - 1;

/** Whether `value` is one of the `initForm` values. */
export function isGlueInitForm(value: unknown): value is GlueInitForm {
  return typeof value === 'string' && INIT_FORMS.has(value);
}

/** Checks every option; throws InvalidOptionError naming the option and what it takes. */
export function resolveBindgenOptions(options: unknown): ResolvedBindgenOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'createBindgenPool() takes an options object, e.g. createBindgenPool({ glue: new URL("./pkg/my_crate.js", import.meta.url), threads: 4 }).');
  }
  const o = options as Partial<Record<keyof BindgenPoolOptions, unknown>>;
  const glue = o.glue;
  if (typeof glue !== 'string' && !(glue instanceof URL)) {
    if (glue === undefined || glue === null) {
      throw new InvalidOptionError('glue', 'createBindgenPool() needs "glue": the URL of the wasm-bindgen glue module (pkg/<crate>.js), or its namespace (import * as glue) together with "createWorker".');
    }
    const problem = describeGlueProblem(glue);
    if (problem !== undefined) throw new InvalidOptionError('glue', `"glue" is not wasm-bindgen glue: ${problem}.`);
    if (o.createWorker === undefined) {
      throw new InvalidOptionError(
        'glue',
        'With a glue namespace, weft\'s workers cannot import the glue themselves: pass "createWorker", e.g. ' +
          '() => new Worker(new URL(\'./bindgen-thread.js\', import.meta.url), { type: \'module\' }) where bindgen-thread.js calls serveBindgenThread(glue); or pass the glue\'s URL instead.',
      );
    }
  }
  if (o.createWorker !== undefined && typeof o.createWorker !== 'function') {
    throw new InvalidOptionError('createWorker', `"createWorker" must be a function that returns a new Worker, got ${describeValue(o.createWorker)}.`);
  }
  checkThreadCount('threads', o.threads);
  checkThreadCount('rayonThreads', o.rayonThreads, 0);
  const rayonThreads = (o.rayonThreads as number | undefined) ?? 0;
  const initForm = o.initForm ?? 'auto';
  if (typeof initForm !== 'string' || !INIT_FORMS.has(initForm)) {
    throw new InvalidOptionError('initForm', `"initForm" must be "auto", "positional" or "object", got ${describeValue(o.initForm)}.`);
  }
  if (o.threadStackSize !== undefined && (!isPositiveInteger(o.threadStackSize) || o.threadStackSize > MAX_THREAD_STACK_SIZE)) {
    throw new InvalidOptionError('threadStackSize', `"threadStackSize" must be a positive integer number of bytes below 4 GiB (${MAX_THREAD_STACK_SIZE} at most), got ${describeValue(o.threadStackSize)}.`);
  }
  if (o.fastCalls !== undefined && typeof o.fastCalls !== 'boolean') {
    throw new InvalidOptionError('fastCalls', `"fastCalls" must be true (calls through shared memory where their values allow) or false (every call by message), got ${describeValue(o.fastCalls)}.`);
  }
  if (o.wake !== undefined && o.wake !== 'wait-async' && o.wake !== 'message') {
    throw new InvalidOptionError('wake', `"wake" must be "wait-async" or "message", or left out; got ${describeValue(o.wake)}.`);
  }
  const { startTimeout, nodeLiftoffWorkaround } = resolveStartOptions(o);
  return {
    glue: glue as string | URL | GlueNamespace,
    threads: o.threads as number | undefined,
    rayonThreads,
    initForm: initForm as GlueInitForm,
    threadStackSize: (o.threadStackSize as number | undefined) ?? null,
    startTimeout,
    nodeLiftoffWorkaround,
    createWorker: o.createWorker as (() => unknown) | undefined,
    fastCalls: (o.fastCalls as boolean | undefined) ?? true,
    wake: o.wake as 'wait-async' | 'message' | undefined,
  };
}
