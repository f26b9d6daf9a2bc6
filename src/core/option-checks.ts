import { InvalidOptionError } from '../errors/catalogue.js';

/** True for an integer > 0. */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** A short description of a bad option value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}

/**
 * The most threads one pool starts. Why a limit: every thread is a worker with its own engine
 * instance (megabytes each), and browsers cap workers per origin (Firefox at 512) and queue the
 * rest for ever; far more threads than cores only adds switching.
 */
export const MAX_POOL_THREADS = 256;

/** Throws InvalidOptionError naming `option` unless `value` is undefined or a thread count from `min` to MAX_POOL_THREADS. */
export function checkThreadCount(option: string, value: unknown, min = 1): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_POOL_THREADS) {
    throw new InvalidOptionError(option, `"${option}" must be an integer from ${min} to ${MAX_POOL_THREADS}, got ${describeValue(value)}.`);
  }
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
/** The longest delay a JavaScript timer keeps (2^31 - 1 ms, about 24.8 days); Node fires longer ones after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The options every kind of pool shares for starting its workers, checked, with their defaults. */
export function resolveStartOptions(o: { readonly startTimeout?: unknown; readonly nodeLiftoffWorkaround?: unknown }): {
  readonly startTimeout: number;
  readonly nodeLiftoffWorkaround: boolean;
} {
  const startTimeout = o.startTimeout ?? DEFAULT_START_TIMEOUT_MS;
  if (typeof startTimeout !== 'number' || !(startTimeout > 0) || startTimeout > MAX_TIMER_MS) {
    throw new InvalidOptionError('startTimeout', `"startTimeout" must be a positive number of milliseconds up to ${MAX_TIMER_MS} (what a timer can wait), got ${describeValue(o.startTimeout)}.`);
  }
  if (o.nodeLiftoffWorkaround !== undefined && typeof o.nodeLiftoffWorkaround !== 'boolean') {
    throw new InvalidOptionError('nodeLiftoffWorkaround', `"nodeLiftoffWorkaround" must be a boolean, got ${describeValue(o.nodeLiftoffWorkaround)}.`);
  }
  return { startTimeout, nodeLiftoffWorkaround: (o.nodeLiftoffWorkaround as boolean | undefined) ?? true };
}

/** The wake mode to use: the caller's, checked against what this engine has, or the best there is. */
export function chooseWakeMode(requested: 'wait-async' | 'message' | undefined, hasWaitAsync: boolean): 'wait-async' | 'message' {
  if (requested === 'wait-async' && !hasWaitAsync) {
    throw new InvalidOptionError('wake', '"wake": "wait-async" needs Atomics.waitAsync, which this engine does not have; leave "wake" out (weft then uses "message") or pass "message".');
  }
  return requested ?? (hasWaitAsync ? 'wait-async' : 'message');
}
