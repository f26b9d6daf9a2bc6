/**
 * Base class of every error weft throws or rejects with. `code` is stable across
 * versions, so callers can match on it instead of on message text.
 */
export class WeftError extends Error {
  /** Stable machine-readable code, e.g. `WEFT_POOL_CLOSED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
