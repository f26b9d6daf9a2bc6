import { Errno, type ErrnoValue } from './constants.js';

const ERRNO_NAMES = new Map<number, string>(Object.entries(Errno).map(([name, value]) => [value, name]));

/**
 * A guest error on its way to becoming an errno: file system backends and the host's helpers
 * throw it, and `WasiHost.call` turns it into its `errno` result. It never leaves `call`.
 */
export class WasiErrnoError extends Error {
  /** The preview1 errno the call returns. */
  readonly errno: ErrnoValue;

  constructor(errno: ErrnoValue, message?: string, options?: ErrorOptions) {
    super(message ?? `WASI errno ${ERRNO_NAMES.get(errno) ?? errno}`, options);
    this.name = 'WasiErrnoError';
    this.errno = errno;
  }
}

/** Throws a {@link WasiErrnoError} with `errno`. */
export function fail(errno: ErrnoValue, message?: string): never {
  throw new WasiErrnoError(errno, message);
}

/** The errno to return for `error`; anything that is not a {@link WasiErrnoError} is rethrown. */
export function errnoOf(error: unknown): ErrnoValue {
  if (error instanceof WasiErrnoError) return error.errno;
  throw error;
}
