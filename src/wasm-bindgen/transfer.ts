import { InvalidArgumentError } from '../errors/catalogue.js';

const marked = new WeakMap<object, readonly Transferable[]>();

/**
 * Marks an argument of a wasm-bindgen pool call so that `transferables` (typically a typed
 * array's `buffer`) move to the thread instead of being copied: `pool.run('optimise',
 * transfer(bytes, [bytes.buffer]))`. The caller's buffer is detached (length 0) afterwards.
 * Returns `value` itself.
 */
export function transfer<T extends object>(value: T, transferables: readonly Transferable[]): T {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw new InvalidArgumentError(`transfer(): the value must be an object (a typed array, an ArrayBuffer, an object holding them), got ${value === null ? 'null' : typeof value}.`);
  }
  if (!Array.isArray(transferables)) throw new InvalidArgumentError('transfer(): the second argument must be an array of transferables, e.g. [bytes.buffer].');
  marked.set(value, transferables);
  return value;
}

/** The transferables `transfer()` marked on this argument, if any. */
export function transferablesOf(value: unknown): readonly Transferable[] {
  return (typeof value === 'object' || typeof value === 'function') && value !== null ? (marked.get(value) ?? []) : [];
}
