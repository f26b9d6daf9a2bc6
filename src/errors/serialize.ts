import * as catalogue from './catalogue.js';
import { WeftError } from './weft-error.js';

/** An error as it travels between threads: plain data that survives structured clone. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly code: string | undefined;
  /** Own enumerable properties of primitive type (e.g. `threadId`, `exitCode`). */
  readonly props: Readonly<Record<string, string | number | boolean | bigint | null>>;
  readonly cause: SerializedError | undefined;
}

type ErrorClass = new (message?: string) => Error;

function builtInErrorClasses(): Map<string, ErrorClass> {
  const classes = new Map<string, ErrorClass>([
    ['Error', Error],
    ['TypeError', TypeError],
    ['RangeError', RangeError],
    ['ReferenceError', ReferenceError],
    ['SyntaxError', SyntaxError],
    ['EvalError', EvalError],
    ['URIError', URIError],
  ]);
  // Why: a wasm trap is a WebAssembly.RuntimeError; callers check `instanceof` on it, so the
  // rebuilt error must be of the very same class in the caller's realm.
  if (typeof WebAssembly !== 'undefined') {
    classes.set('RuntimeError', WebAssembly.RuntimeError);
    classes.set('CompileError', WebAssembly.CompileError);
    classes.set('LinkError', WebAssembly.LinkError);
  }
  return classes;
}

const weftClassesByName = new Map<string, typeof WeftError>(
  Object.values(catalogue).map((cls) => [cls.name, cls as unknown as typeof WeftError]),
);
weftClassesByName.set('WeftError', WeftError);

const MAX_CAUSE_DEPTH = 4;

/** Turns anything thrown into plain data, keeping class name, message, stack, code and simple props. */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (!(thrown instanceof Error)) {
    return { name: 'Error', message: describeNonError(thrown), stack: undefined, code: undefined, props: {}, cause: undefined };
  }
  const props: Record<string, string | number | boolean | bigint | null> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'code' || key === 'cause') continue;
    // Why: a getter that throws must not turn the report of one error into another.
    const value = readOrUndefined(thrown, key);
    const type = typeof value;
    if (value === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') {
      props[key] = value as string | number | boolean | bigint | null;
    }
  }
  const code = (thrown as { code?: unknown }).code;
  return {
    name: thrown.name,
    message: thrown.message,
    stack: thrown.stack,
    code: typeof code === 'string' ? code : undefined,
    props,
    cause: thrown.cause !== undefined && depth < MAX_CAUSE_DEPTH ? serializeError(thrown.cause, depth + 1) : undefined,
  };
}

/**
 * Rebuilds an error in this realm as an instance of the class it had in the thread
 * (built-in, WebAssembly or weft class; plain `Error` with the original `name` otherwise).
 * Data from another version of weft may lack `props`, `stack` or `cause`.
 * @throws InvalidArgumentError when `data` is not an object with a string `name` and `message`.
 */
export function deserializeError(data: SerializedError): Error {
  if (typeof data !== 'object' || data === null || typeof data.name !== 'string' || typeof data.message !== 'string') {
    throw new catalogue.InvalidArgumentError(
      `deserializeError() takes the data serializeError() made: an object with a string "name" and a string "message"; got ${describeData(data)}.`,
    );
  }
  let error: Error;
  const weftClass = weftClassesByName.get(data.name);
  const builtIn = builtInErrorClasses().get(data.name);
  if (weftClass !== undefined) {
    // Why: subclasses have differing constructor signatures; constructing the base with the
    // subclass as new.target gives a real Error of the right class without calling them.
    error = Reflect.construct(WeftError, [data.code ?? 'WEFT_UNKNOWN', data.message], weftClass) as Error;
  } else if (builtIn !== undefined) {
    error = new builtIn(data.message);
  } else {
    error = new Error(data.message);
    error.name = data.name;
  }
  if (data.code !== undefined) {
    Object.defineProperty(error, 'code', { value: data.code, enumerable: true, configurable: true, writable: true });
  }
  for (const [key, value] of Object.entries(typeof data.props === 'object' && data.props !== null ? data.props : {})) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    Object.defineProperty(error, key, { value, enumerable: true, configurable: true, writable: true });
  }
  if (data.stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: data.stack, configurable: true, writable: true });
  }
  if (data.cause !== undefined) {
    Object.defineProperty(error, 'cause', { value: deserializeError(data.cause), configurable: true, writable: true });
  }
  return error;
}

function describeNonError(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  try {
    return `Non-error value thrown: ${JSON.stringify(thrown) ?? String(thrown)}`;
  } catch {
    try {
      return `Non-error value thrown: ${String(thrown)}`;
    } catch {
      // Why: an object without a prototype has no toString, and String() throws on it.
      return `Non-error value thrown: ${Object.prototype.toString.call(thrown)}`;
    }
  }
}

function readOrUndefined(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function describeData(data: unknown): string {
  if (data === null || (typeof data !== 'object' && typeof data !== 'function')) return String(data);
  if (typeof data === 'function') return 'a function';
  const { name, message } = data as { name?: unknown; message?: unknown };
  return `an object with name ${typeof name === 'string' ? JSON.stringify(name) : typeof name} and message ${typeof message === 'string' ? 'a string' : typeof message}`;
}
