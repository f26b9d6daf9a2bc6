import { checkThreadCount, describeValue, isPositiveInteger, resolveStartOptions } from './option-checks.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import type { WakeMode } from '../protocol/messages.js';
import type { ModuleSource } from './module-source.js';

/** Options of `createPool`. */
export interface PoolOptions {
  /** The module: a URL, a path (Node), bytes, a `Response` or a compiled `WebAssembly.Module`. */
  readonly module: ModuleSource;
  /** The shared memory to use; by default one is created with the limits of the module's memory import. */
  readonly memory?: WebAssembly.Memory;
  /** Number of worker threads, 1 to 256; default: the machine's hardware concurrency. */
  readonly threads?: number;
  /** Bytes of shadow stack (and TLS) per thread for clang-built modules; default 256 KiB. */
  readonly stackSize?: number;
  /** Longest an idle worker spins before parking, in µs; 0 turns spinning off. Default 50. */
  readonly spinMicros?: number;
  /** Tasks the shared queue holds before more wait on the host; a power of two up to 2^20, default 4096. */
  readonly queueCapacity?: number;
  /**
   * Tasks that may wait beyond the shared queue and the threads' mailboxes; one more rejects with
   * `QueueFullError` (each waiting task holds memory until it runs). Up to 2^30, default 2^22.
   */
  readonly maxQueuedTasks?: number;
  /** How the host learns that tasks finished; default `wait-async` where available, else `message`. */
  readonly wake?: WakeMode;
  /**
   * Milliseconds without a worker becoming ready after which the start fails (workers boot about
   * one per core at a time), up to 2^31 - 1 (what a timer can wait); default 60,000.
   */
  readonly startTimeout?: number;
  /**
   * Node.js 20 only: turn off V8's baseline wasm compiler (Liftoff), which mis-runs threaded
   * wasm around `memory.atomic.wait32`. It is a process-wide V8 flag. Default true.
   */
  readonly nodeLiftoffWorkaround?: boolean;
}

export interface ResolvedPoolOptions {
  readonly threads: number | undefined;
  readonly stackSize: number;
  readonly spinMicros: number;
  readonly queueCapacity: number;
  readonly maxQueuedTasks: number;
  readonly wake: WakeMode | undefined;
  readonly startTimeout: number;
  readonly nodeLiftoffWorkaround: boolean;
}

const MIN_STACK_SIZE = 16 * 1024;
/** The most tasks the shared queue holds (2^20 entries); more wait on the caller's side anyway. */
const MAX_QUEUE_CAPACITY = 2 ** 20;
const DEFAULT_MAX_QUEUED_TASKS = 2 ** 22;
const MAX_MAX_QUEUED_TASKS = 2 ** 30;

/** Checks every option's type and range; throws InvalidOptionError naming the option and what it takes. */
export function resolvePoolOptions(options: unknown): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'createPool() takes an options object, e.g. createPool({ module: new URL("./kernel.wasm", import.meta.url) }).');
  }
  const o = options as Partial<Record<keyof PoolOptions, unknown>>;
  if (o.module === undefined || o.module === null) {
    throw new InvalidOptionError('module', 'createPool() needs a "module": a URL, a path (Node), bytes, a Response or a WebAssembly.Module.');
  }
  checkThreadCount('threads', o.threads);
  const stackSize = o.stackSize ?? 256 * 1024;
  if (!isPositiveInteger(stackSize) || stackSize < MIN_STACK_SIZE) {
    throw new InvalidOptionError('stackSize', `"stackSize" must be an integer of at least ${MIN_STACK_SIZE} bytes, got ${describeValue(o.stackSize)}.`);
  }
  const spinMicros = o.spinMicros ?? 50;
  if (typeof spinMicros !== 'number' || !Number.isFinite(spinMicros) || spinMicros < 0) {
    throw new InvalidOptionError('spinMicros', `"spinMicros" must be a number of microseconds >= 0, got ${describeValue(o.spinMicros)}.`);
  }
  const queueCapacity = o.queueCapacity ?? 4096;
  // Why not `q & (q - 1)`: bitwise operators work on 32 bits, so 3 * 2^32 would pass.
  if (!isPositiveInteger(queueCapacity) || queueCapacity > MAX_QUEUE_CAPACITY || !Number.isInteger(Math.log2(queueCapacity))) {
    throw new InvalidOptionError('queueCapacity', `"queueCapacity" must be a power of two from 1 to ${MAX_QUEUE_CAPACITY}, got ${describeValue(o.queueCapacity)}.`);
  }
  const maxQueuedTasks = o.maxQueuedTasks ?? DEFAULT_MAX_QUEUED_TASKS;
  if (!isPositiveInteger(maxQueuedTasks) || maxQueuedTasks > MAX_MAX_QUEUED_TASKS) {
    throw new InvalidOptionError('maxQueuedTasks', `"maxQueuedTasks" must be an integer from 1 to ${MAX_MAX_QUEUED_TASKS}, got ${describeValue(o.maxQueuedTasks)}.`);
  }
  if (o.wake !== undefined && o.wake !== 'wait-async' && o.wake !== 'message') {
    throw new InvalidOptionError('wake', `"wake" must be "wait-async" or "message", got ${describeValue(o.wake)}.`);
  }
  const { startTimeout, nodeLiftoffWorkaround } = resolveStartOptions(o);
  return {
    threads: o.threads as number | undefined,
    stackSize,
    spinMicros,
    queueCapacity,
    maxQueuedTasks,
    wake: o.wake as WakeMode | undefined,
    startTimeout,
    nodeLiftoffWorkaround,
  };
}
