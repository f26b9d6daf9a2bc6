import type { SerializedError } from '../errors/serialize.js';
import type { ENVELOPE } from './envelope.js';

/**
 * Messages of a wasm-bindgen pool. Calls whose values a shared-memory arena can carry go
 * through each caller thread's fast-call channel (bindgen-call-layout.ts); the others (objects,
 * `transfer()` lists, values too big) travel by postMessage and structured clone as
 * `bindgen-call`. Every message carries `weft: 1` like the others.
 */

/** How the glue's default export is called: `init(module, memory)` or `init({ module_or_path, memory })`. */
export type GlueInitForm = 'auto' | 'positional' | 'object';

/** What a thread is for: running glue exports on request, or hosting one wasm-bindgen-rayon pool thread. */
export type BindgenThreadRole = 'caller' | 'rayon';

/** A rayon thread's stack and TLS, so another thread can free them with `__wbindgen_thread_destroy`. */
export interface BindgenThreadMemory {
  readonly tlsBase: number;
  readonly stackAlloc: number;
}

/** A caller thread's fast-call channel (bindgen-call-layout.ts), given in its init message. */
export interface BindgenFastCallSetup {
  /** The call slot: CALL_SLOT_BYTES. */
  readonly slot: SharedArrayBuffer;
  /** The first arena; later ones come with a `bindgen-call` or `bindgen-result`. */
  readonly arena: SharedArrayBuffer;
  /**
   * How each side learns that the slot changed: `Atomics.waitAsync` on its state word, or
   * (engines without it) a `bindgen-wake` message to the thread and a `wake` message to the host.
   */
  readonly wake: 'wait-async' | 'message';
}

export interface BindgenInitMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'init-bindgen';
  readonly threadId: number;
  readonly role: BindgenThreadRole;
  /** Absolute URL of the glue module to import; null when the worker was made with the glue built in. */
  readonly glueUrl: string | null;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly initForm: GlueInitForm;
  /** Passed to object-form glue as `thread_stack_size`; null: the glue's default. */
  readonly threadStackSize: number | null;
  /** Caller thread 0 only: build a wasm-bindgen-rayon pool of this many threads (0: none). */
  readonly rayonThreads: number;
  /** Rayon threads only: the receiver handed to `wbg_rayon_start_worker`. */
  readonly receiver: number | null;
  /** Caller threads with fast calls on: their channel; null: every call comes by message. */
  readonly fastCalls: BindgenFastCallSetup | null;
}

/**
 * What a call runs on the thread: a glue export; a class's constructor or static function; or a
 * method, getter or `free()` of an object the thread keeps (numbered by `objectId`).
 */
export type BindgenCallTarget =
  | { readonly kind: 'export'; readonly name: string }
  | { readonly kind: 'construct'; readonly className: string }
  | { readonly kind: 'static'; readonly className: string; readonly member: string }
  | { readonly kind: 'method'; readonly objectId: number; readonly member: string }
  | { readonly kind: 'get'; readonly objectId: number; readonly member: string }
  | { readonly kind: 'free'; readonly objectId: number };

/** Run one call on this thread. */
export interface BindgenCallMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-call';
  readonly callId: number;
  readonly target: BindgenCallTarget;
  readonly args: readonly unknown[];
  /** Per argument: the id of an object this thread keeps, passed in that argument's place; null: the argument itself. */
  readonly objectArgs: readonly (number | null)[];
  /** A bigger arena for the fast calls after this one (this call's values did not fit the old one); null: keep it. */
  readonly arena: SharedArrayBuffer | null;
}

/** Host to a thread without `Atomics.waitAsync`: its call slot changed (a call is in it, or the pool closed). */
export interface BindgenWakeMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-wake';
}

/** A glue class instance a call returned: kept on its thread, and known to the caller by its id. */
export interface BindgenKeptObject {
  readonly objectId: number;
  readonly className: string;
}

/** Host to thread 0: the rayon thread it asked for is running (or failed to start). */
export interface BindgenRayonStartedMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-rayon-started';
  readonly spawnId: number;
  readonly error: SerializedError | null;
}

/** Tear the thread down: free its wasm-bindgen stack and TLS (and those listed), then end. */
export interface BindgenCloseMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-close';
  /** Stacks and TLS blocks of terminated rayon threads that this thread should free for them. */
  readonly orphans: readonly BindgenThreadMemory[];
}

export interface BindgenResultMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-result';
  readonly callId: number;
  /** The call's result; undefined when it is a kept object. */
  readonly value: unknown;
  /** Set when the result is an instance of a glue class, which stays on the thread. */
  readonly kept: BindgenKeptObject | null;
  /** A bigger arena for later fast calls (this result did not fit the old one); null: keep it. */
  readonly arena: SharedArrayBuffer | null;
}

export interface BindgenErrorMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-error';
  readonly callId: number;
  readonly threadId: number;
  readonly error: SerializedError;
}

/** Thread 0 asks the host to start a rayon thread (its glue's `initThreadPool` wants one). */
export interface BindgenRayonSpawnMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-rayon-spawn';
  readonly spawnId: number;
  readonly receiver: number;
}

/** A thread failed outside any call (a rayon thread whose job panicked): the pool cannot go on. */
export interface BindgenThreadFailedMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-thread-failed';
  readonly threadId: number;
  readonly error: SerializedError;
}

export interface BindgenClosedMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'bindgen-closed';
  readonly threadId: number;
}

export type HostToBindgenMessage = BindgenInitMessage | BindgenCallMessage | BindgenWakeMessage | BindgenRayonStartedMessage | BindgenCloseMessage;
export type BindgenToHostMessage =
  | BindgenResultMessage
  | BindgenErrorMessage
  | BindgenRayonSpawnMessage
  | BindgenThreadFailedMessage
  | BindgenClosedMessage;
