import { InvalidArgumentError } from '../errors/catalogue.js';
import type { BindgenCallTarget } from '../protocol/bindgen-messages.js';

/** What wasm-bindgen makes of an exported Rust struct: a class whose instances have `free()`. */
export interface GlueObject {
  /** Frees the Rust value. */
  free(): void;
}

/** What a call on a remote handle resolves to: a glue object comes back as a remote handle, anything else as a copy. */
export type RemoteResult<T> = T extends GlueObject ? Remote<T> : T;

/** An argument of a remote call: a glue object is passed as its remote handle, anything else as a copy. */
export type RemoteArgument<T> = T extends GlueObject ? Remote<T> : T;

/** The arguments of a remote call, each by `RemoteArgument`. */
export type RemoteArguments<A extends readonly unknown[]> = { [I in keyof A]: RemoteArgument<A[I]> };

/** A member of a remote handle: a method becomes an async call; a getter, something to await. */
export type RemoteMember<T> = T extends (...args: infer A) => infer R ? (...args: RemoteArguments<A>) => Promise<RemoteResult<Awaited<R>>> : PromiseLike<RemoteResult<T>>;

/** What every remote handle has, whatever its class. */
export interface RemoteHandle {
  /** The pool thread that owns the object; its calls run there. */
  readonly threadId: number;
  /** The glue class of the object. */
  readonly className: string;
  /** Frees the object on its thread (wasm-bindgen's `free()`); later calls reject. Resolves once freed; safe to call twice. */
  free(): Promise<void>;
  /** Frees the object without waiting (`using remote = …`). */
  [Symbol.dispose](): void;
  /** `free()`, for `await using remote = …`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A glue class instance that lives on one thread of a wasm-bindgen pool, seen from the caller:
 * `await remote.method(args)` runs the method on that thread, `await remote.getter` reads a
 * getter there, and glue objects in arguments and results travel as remote handles.
 */
export type Remote<T> = { readonly [K in Exclude<keyof T, 'free' | symbol>]: RemoteMember<T[K]> } & RemoteHandle;

/** A call a remote handle makes, run by the pool on the owning thread. */
export type RemoteCall = (threadId: number, target: BindgenCallTarget, args: readonly unknown[]) => Promise<unknown>;

interface RemoteState {
  readonly threadId: number;
  readonly objectId: number;
  freed: Promise<void> | undefined;
}

const states = new WeakMap<object, RemoteState>();

/** The thread and id of a remote handle, or undefined for any other value. */
export function remoteObjectOf(value: unknown): { readonly threadId: number; readonly objectId: number } | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const state = states.get(value);
  if (state === undefined) return undefined;
  if (state.freed !== undefined) throw new InvalidArgumentError(`This remote object (a ${String((value as { className?: unknown }).className)}) was freed: it cannot be passed any more.`);
  return state;
}

/** Makes the caller's handle of object `objectId`, kept by thread `threadId`. */
export function createRemote(call: RemoteCall, threadId: number, objectId: number, className: string): Remote<GlueObject> {
  const state: RemoteState = { threadId, objectId, freed: undefined };
  const send = (target: BindgenCallTarget, args: readonly unknown[]): Promise<unknown> => {
    if (state.freed !== undefined) return Promise.reject(new InvalidArgumentError(`This ${className} was freed: calls on it are refused.`));
    return call(threadId, target, args);
  };
  const free = (): Promise<void> => {
    state.freed ??= call(threadId, { kind: 'free', objectId }, []).then(() => undefined);
    return state.freed;
  };
  const members = new Map<string, unknown>();
  const member = (name: string): unknown => {
    let found = members.get(name);
    if (found === undefined) {
      const method = (...args: unknown[]): Promise<unknown> => send({ kind: 'method', objectId, member: name }, args);
      // Why thenable: `await remote.getter` reads a getter on the thread, as comlink's proxies do.
      found = Object.assign(method, {
        then: (resolve?: (value: unknown) => unknown, reject?: (reason: unknown) => unknown) => send({ kind: 'get', objectId, member: name }, []).then(resolve, reject),
      });
      members.set(name, found);
    }
    return found;
  };
  const handle = new Proxy(Object.create(null) as object, {
    get(_target, property) {
      switch (property) {
        case 'threadId':
          return threadId;
        case 'className':
          return className;
        case 'free':
          return free;
        case Symbol.dispose:
          return () => void free().catch(() => undefined);
        case Symbol.asyncDispose:
          return free;
        case 'then':
          // Why: a handle must not look like a promise, or `await` would call its methods.
          return undefined;
        case 'toJSON':
          // Why: JSON.stringify calls toJSON synchronously; a remote call there would only leave
          // a rejected promise behind.
          return () => ({ remote: className, threadId });
        default:
          return typeof property === 'string' ? member(property) : undefined;
      }
    },
    set() {
      throw new TypeError(`A remote ${className} cannot be assigned to: call one of its methods instead.`);
    },
  });
  states.set(handle, state);
  return handle as Remote<GlueObject>;
}
