import type { SerializedError } from '../errors/serialize.js';
import type { BindgenThreadMemory, BindgenToHostMessage, HostToBindgenMessage } from './bindgen-messages.js';
import { ENVELOPE } from './envelope.js';

/*
 * The few messages that cross between the host and a worker with postMessage: one to start
 * the worker, one back when it is ready (or failed), and then only for what cannot travel
 * through the control block (a thrown error's text, or a wake-up where `Atomics.waitAsync`
 * is missing). Every message carries `weft: 1` (ENVELOPE) so foreign messages are ignored.
 */
export { ENVELOPE } from './envelope.js';

/** How the host learns that tasks finished. */
export type WakeMode = 'wait-async' | 'message';

/** Where a thread's private shadow stack and TLS block live in the wasm memory. */
export interface ThreadRegion {
  /** Lowest address of the region (16-byte aligned). */
  readonly base: number;
  /** Size in bytes (a multiple of 16). */
  readonly size: number;
}

/** Names of the memory import, so the worker supplies the memory under the same names. */
export interface MemoryImportName {
  readonly module: string;
  readonly name: string;
}

export interface InitMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'init';
  readonly threadId: number;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly memoryImport: MemoryImportName;
  readonly control: SharedArrayBuffer;
  readonly queueCapacity: number;
  readonly maxThreads: number;
  /** Export names in the order of the pool's export table (a task names its export by index). */
  readonly exportNames: readonly string[];
  readonly region: ThreadRegion | null;
  readonly wake: WakeMode;
  /** Longest an idle worker spins before parking, in microseconds (0: never spin). */
  readonly spinMicros: number;
}

export interface ReadyMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'ready';
  readonly threadId: number;
  /** wasm-bindgen rayon threads: where their stack and TLS are, so another thread can free them. */
  readonly threadMemory?: BindgenThreadMemory | null;
}

export interface InitFailedMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'init-failed';
  readonly threadId: number;
  readonly error: SerializedError;
}

export interface TaskFailedMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'task-failed';
  readonly threadId: number;
  readonly entry: number;
  readonly error: SerializedError;
}

/** Sent instead of `Atomics.notify` when the host cannot use `Atomics.waitAsync`. */
export interface WakeMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'wake';
}

/** Starts a worker of a wasi-threads program (see wasi-layout.ts for the control block). */
export interface WasiInitMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'init-wasi';
  /** The worker's slot in the program's control block. */
  readonly threadId: number;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly maxThreads: number;
  /** Preview1 functions the module imports, in the order the host numbers them. */
  readonly syscallNames: readonly string[];
  readonly wake: WakeMode;
}

/** The program ended: `_start` returned (code 0) or a thread called proc_exit. */
export interface ProgramExitMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'program-exit';
  readonly threadId: number;
  readonly exitCode: number;
}

/** A thread of the program trapped or threw: the whole program fails. */
export interface ProgramTrapMessage {
  readonly weft: typeof ENVELOPE;
  readonly type: 'program-trap';
  readonly threadId: number;
  /** The wasi thread id (0 for the main thread). */
  readonly tid: number;
  readonly error: SerializedError;
}

export type HostToWorkerMessage = InitMessage | WasiInitMessage | HostToBindgenMessage;
export type WorkerToHostMessage =
  | ReadyMessage
  | InitFailedMessage
  | TaskFailedMessage
  | WakeMessage
  | ProgramExitMessage
  | ProgramTrapMessage
  | BindgenToHostMessage;

/** True for messages that weft sent, so a worker or host can ignore anything else. */
export function isWeftMessage(data: unknown): data is { weft: typeof ENVELOPE; type: string } {
  return typeof data === 'object' && data !== null && (data as { weft?: unknown }).weft === ENVELOPE;
}
