import type { WorkerHandle } from '../core/platform.js';
import { InvalidArgumentError, PoolClosedError, WorkerExitError } from '../errors/catalogue.js';
import { deserializeError } from '../errors/serialize.js';
import type { BindgenCallTarget, BindgenThreadMemory } from '../protocol/bindgen-messages.js';
import { ENVELOPE, type WorkerToHostMessage } from '../protocol/messages.js';
import type { FastCallChannel } from './fast-call-channel.js';
import { transferablesOf } from './transfer.js';
import { createRemote, type GlueObject, type Remote, type RemoteArguments, remoteObjectOf, type RemoteResult } from './remote-object.js';

/** Any glue, when its type is not given: every name, any arguments. */
export type UntypedGlue = {
  /** Any export, called with any arguments. */
  readonly [name: string]: (...args: any[]) => unknown;
};

/** Names of the glue's function exports (`typeof import('./pkg/my_crate.js')` gives exact ones). */
export type GlueExportName<Glue> = { [K in keyof Glue]: Glue[K] extends (...args: never[]) => unknown ? (K extends string ? K : never) : never }[keyof Glue];
/** The parameters of the glue export `Name` (glue objects among them passed as remote handles). */
export type GlueArguments<Glue, Name extends keyof Glue> = Glue[Name] extends (...args: infer A) => unknown ? RemoteArguments<A> : never;
/** What the glue export `Name` resolves to (a glue object as a remote handle). */
export type GlueResult<Glue, Name extends keyof Glue> = Glue[Name] extends (...args: never[]) => infer R ? RemoteResult<Awaited<R>> : never;
/** Names of the glue's classes (wasm-bindgen's exported structs: instances have `free()`). */
export type GlueClassName<Glue> = {
  // Why the `0 extends 1 & P` test: every function type has `prototype: any` (from Function), and
  // `any` would pass for a glue object.
  [K in keyof Glue]: Glue[K] extends { prototype: infer P } ? (0 extends 1 & P ? never : P extends GlueObject ? (K extends string ? K : never) : never) : never;
}[keyof Glue];
/** An instance of the glue class `Name`. */
export type GlueInstance<Glue, Name extends keyof Glue> = Glue[Name] extends { prototype: infer P } ? P : never;
/** The constructor parameters of the glue class `Name` (none known for a class whose constructor is private). */
export type GlueConstructorArguments<Glue, Name extends keyof Glue> = Glue[Name] extends abstract new (...args: infer A) => unknown ? RemoteArguments<A> : unknown[];
/** Names of the static functions of the glue class `Name`. */
export type GlueStaticName<Glue, Name extends keyof Glue> = { [K in keyof Glue[Name]]: K extends 'prototype' ? never : Glue[Name][K] extends (...args: never[]) => unknown ? (K extends string ? K : never) : never }[keyof Glue[Name]];
/** The parameters of the static function `Member` of the glue class `Name`. */
export type GlueStaticArguments<Glue, Name extends keyof Glue, Member extends keyof Glue[Name]> = Glue[Name][Member] extends (...args: infer A) => unknown ? RemoteArguments<A> : never;
/** What the static function `Member` of the glue class `Name` resolves to. */
export type GlueStaticResult<Glue, Name extends keyof Glue, Member extends keyof Glue[Name]> = Glue[Name][Member] extends (...args: never[]) => infer R ? RemoteResult<Awaited<R>> : never;

/** A wasm-bindgen-rayon pool thread: weft ends it at close, and frees its stack and TLS from another thread. */
export interface RayonThread {
  readonly threadId: number;
  readonly worker: WorkerHandle;
  readonly threadMemory: BindgenThreadMemory | null;
}

interface Call {
  readonly target: BindgenCallTarget;
  /** What errors name as the call's `exportName`: the export, or Class.member. */
  readonly label: string;
  readonly args: readonly unknown[];
  readonly objectArgs: readonly (number | null)[];
  /** What moves to the thread instead of being copied (arguments marked with `transfer()`). */
  readonly transfer: readonly Transferable[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** The pool's id of the call once it is sent to a thread (-1 before). */
  callId: number;
}

/** How long a thread may take to run the glue's thread teardown before it is ended anyway. */
const TEARDOWN_TIMEOUT_MS = 2_000;

/**
 * Workers that each run a wasm-bindgen glue over one module and one shared memory, and run its
 * exports on request. Created by `createBindgenPool`; every method returns a promise that
 * always settles. Arguments and results that are numbers, BigInts, booleans, undefined, null,
 * strings, typed arrays, DataViews or ArrayBuffers are copied through shared memory; anything
 * else (plain objects, arrays, `transfer()` lists) travels by structured clone, with the same
 * results either way. wasm-bindgen class instances stay on the thread that made them and reach
 * the caller as remote handles (`create`, `callStatic`, or any call that returns one).
 */
export class BindgenPool<Glue = UntypedGlue> {
  private closing: Promise<void> | undefined;
  private nextCallId = 0;
  private readonly queue: Call[] = [];
  private readonly threadQueues: Call[][];
  private readonly running: Call[] = [];
  private readonly busy: boolean[];
  private readonly closedWaiters = new Map<number, () => void>();
  private fastCallCount = 0;

  /** @internal Use `createBindgenPool`. */
  constructor(
    /** The compiled `_bg.wasm` every thread runs. */
    readonly module: WebAssembly.Module,
    /** The memory all threads share. */
    readonly memory: WebAssembly.Memory,
    private readonly callers: readonly WorkerHandle[],
    private readonly rayon: readonly RayonThread[],
    /** True when the caller gave the memory, so it outlives the pool and rayon threads' blocks must be freed. */
    private readonly memoryOutlivesPool: boolean,
    /** Per caller thread: its fast-call channel, or null where calls go by message only (`fastCalls: false`). */
    private readonly channels: readonly (FastCallChannel | null)[],
  ) {
    this.threadQueues = callers.map(() => []);
    this.busy = callers.map(() => false);
  }

  /** Threads that run glue exports (thread ids 0 … threads-1). */
  get threads(): number {
    return this.callers.length;
  }

  /** Threads of the wasm-bindgen-rayon pool that weft started (0 without `rayonThreads`). */
  get rayonThreads(): number {
    return this.rayon.length;
  }

  /** @internal Calls sent through shared memory so far, rather than by message (for tests and benchmarks). */
  get sharedMemoryCalls(): number {
    return this.fastCallCount;
  }

  /** True once `close()` was called (or a thread died and the pool closed itself). */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Calls the glue export `name` on one free thread; calls beyond the thread count wait their turn. */
  run<Name extends GlueExportName<Glue>>(name: Name, ...args: GlueArguments<Glue, Name>): Promise<GlueResult<Glue, Name>> {
    return this.submit(exportTarget(name), name, args, undefined) as Promise<GlueResult<Glue, Name>>;
  }

  /**
   * Makes an instance of the glue class `className` with its constructor (`new Class(...args)`)
   * on one free thread, and resolves to its remote handle: its methods and getters run on that
   * thread. Free it with `free()` (or `using`); the pool's `close()` ends it too.
   */
  create<Name extends GlueClassName<Glue>>(className: Name, ...args: GlueConstructorArguments<Glue, Name>): Promise<Remote<GlueInstance<Glue, Name>>> {
    if (typeof className !== 'string' || className === '') return Promise.reject(new InvalidArgumentError(`create: the first argument must be the name of a glue class, got ${String(className)}.`));
    return this.submit({ kind: 'construct', className }, `new ${className}`, args, undefined) as Promise<Remote<GlueInstance<Glue, Name>>>;
  }

  /**
   * Calls the static function `member` of the glue class `className` (a factory such as
   * `TfheClientKey.generate(config)`) on one free thread, or on the thread of the remote handles
   * among its arguments; a glue object it returns comes back as a remote handle.
   */
  callStatic<Name extends GlueClassName<Glue>, Member extends GlueStaticName<Glue, Name>>(
    className: Name,
    member: Member,
    ...args: GlueStaticArguments<Glue, Name, Member>
  ): Promise<GlueStaticResult<Glue, Name, Member>> {
    if (typeof className !== 'string' || className === '' || typeof member !== 'string' || member === '') {
      return Promise.reject(new InvalidArgumentError(`callStatic: give the glue class's name and its static function's name, got ${String(className)} and ${String(member)}.`));
    }
    return this.submit({ kind: 'static', className, member }, `${className}.${member}`, args, undefined) as Promise<GlueStaticResult<Glue, Name, Member>>;
  }

  /** Calls the glue export `name` on thread `threadId`, after the calls already aimed at it. */
  runOn<Name extends GlueExportName<Glue>>(threadId: number, name: Name, ...args: GlueArguments<Glue, Name>): Promise<GlueResult<Glue, Name>> {
    if (!Number.isInteger(threadId) || threadId < 0 || threadId >= this.threads) {
      return Promise.reject(new InvalidArgumentError(`runOn: threadId must be an integer from 0 to ${this.threads - 1}, got ${String(threadId)}.`));
    }
    return this.submit(exportTarget(name), name, args, threadId) as Promise<GlueResult<Glue, Name>>;
  }

  /** Calls the glue export `name` once on every thread; results are indexed by thread id. */
  broadcast<Name extends GlueExportName<Glue>>(name: Name, ...args: GlueArguments<Glue, Name>): Promise<GlueResult<Glue, Name>[]> {
    return Promise.all(this.callers.map((_, threadId) => this.submit(exportTarget(name), name, args, threadId))) as Promise<GlueResult<Glue, Name>[]>;
  }

  /**
   * Ends the rayon threads, runs the glue's thread teardown (`__wbindgen_thread_destroy`) on
   * every idle thread but the first instance, which runs on the linker's static stack (also for
   * the rayon threads' stacks when the caller gave the memory), and ends every worker. Calls not
   * yet settled reject with PoolClosedError. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown(() => new PoolClosedError('The weft wasm-bindgen pool was closed before this call finished.'), true);
    return this.closing;
  }

  /** `close()`, for `await using pool = await createBindgenPool(…)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal Routes a caller thread's message. */
  handleMessage(threadId: number, message: WorkerToHostMessage): void {
    switch (message.type) {
      case 'bindgen-result':
      case 'bindgen-error': {
        const index = this.running.findIndex((call) => call.callId === message.callId);
        if (index < 0) return;
        const [call] = this.running.splice(index, 1);
        const channel = this.channels[threadId];
        if (channel) {
          channel.answeredByMessage();
          if (message.type === 'bindgen-result' && message.arena !== null) channel.adoptArena(message.arena);
        }
        if (message.type === 'bindgen-error') call!.reject(describeCallError(deserializeError(message.error), message.threadId, call!.label));
        else if (message.kept === null) call!.resolve(message.value);
        else call!.resolve(createRemote(this.callOn, threadId, message.kept.objectId, message.kept.className));
        this.busy[threadId] = false;
        this.dispatch();
        break;
      }
      case 'wake':
        this.finishFastCall(threadId);
        break;
      case 'bindgen-closed':
        this.closedWaiters.get(threadId)?.();
        break;
      case 'bindgen-thread-failed':
        this.fail(threadId, deserializeError(message.error), 'failed');
        break;
      default:
        break;
    }
  }

  /** @internal A worker died, or a rayon thread trapped: shared memory may be inconsistent, so the pool closes. */
  handleWorkerFailure(threadId: number, error: Error): void {
    this.fail(threadId, error, 'ended unexpectedly');
  }

  private fail(threadId: number, error: Error, what: string): void {
    if (this.closing !== undefined) return;
    const role = threadId < this.threads ? 'Thread' : 'Rayon thread';
    const message = `${role} ${threadId} ${what} (${error.message}); the pool closed itself, since shared memory may be left inconsistent.`;
    this.closing = this.shutDown(() => new WorkerExitError(threadId, message, { cause: error }), false);
  }

  /** The calls of remote handles: on the thread that keeps the object. */
  private readonly callOn = (threadId: number, target: BindgenCallTarget, args: readonly unknown[]): Promise<unknown> =>
    this.submit(target, target.kind === 'free' ? 'free' : 'member' in target ? target.member : '', args, threadId);

  private submit(target: BindgenCallTarget, label: string, args: readonly unknown[], threadId: number | undefined): Promise<unknown> {
    if (this.closing !== undefined) return Promise.reject(new PoolClosedError('The weft wasm-bindgen pool is closed: create a new one with createBindgenPool().'));
    if (target.kind === 'export' && (typeof target.name !== 'string' || target.name === '')) {
      return Promise.reject(new InvalidArgumentError(`The first argument must be the name of a glue export, got ${String(target.name)}.`));
    }
    let owner = threadId;
    const sent: unknown[] = [];
    const objectArgs: (number | null)[] = [];
    const transfer: Transferable[] = [];
    try {
      for (const arg of args) {
        const remote = remoteObjectOf(arg);
        if (remote === undefined) {
          transfer.push(...transferablesOf(arg));
          sent.push(arg);
          objectArgs.push(null);
          continue;
        }
        // Why: a glue object is a pointer bound to its thread's glue; only that thread can use it.
        if (owner !== undefined && owner !== remote.threadId) {
          throw new InvalidArgumentError(`${label}: a remote object of thread ${remote.threadId} cannot be used on thread ${owner}; objects stay on the thread that made them.`);
        }
        owner = remote.threadId;
        sent.push(null);
        objectArgs.push(remote.objectId);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<unknown>((resolve, reject) => {
      const call: Call = { target, label, args: sent, objectArgs, transfer, resolve, reject, callId: -1 };
      if (owner === undefined) this.queue.push(call);
      else this.threadQueues[owner]!.push(call);
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (let threadId = 0; threadId < this.threads; threadId++) {
      if (this.busy[threadId]) continue;
      const call = this.threadQueues[threadId]!.shift() ?? this.queue.shift();
      if (call === undefined) {
        this.callers[threadId]!.keepAlive(false);
        continue;
      }
      const callId = this.nextCallId++;
      call.callId = callId;
      this.busy[threadId] = true;
      this.running.push(call);
      const worker = this.callers[threadId]!;
      worker.keepAlive(true);
      const channel = this.channels[threadId];
      const write = channel && call.transfer.length === 0 ? channel.write(callId, call.target, call.args, call.objectArgs) : undefined;
      if (write?.written) {
        this.fastCallCount++;
        channel!.send(worker);
        if (channel!.wake === 'wait-async') this.awaitFastCall(threadId);
        continue;
      }
      const arena = write?.biggerArena ?? null;
      try {
        worker.postMessage({ weft: ENVELOPE, type: 'bindgen-call', callId, target: call.target, args: call.args, objectArgs: call.objectArgs, arena }, call.transfer);
        // Why only now: the thread switches to the bigger arena when it reads this message; a message that failed never got there.
        if (arena !== null) channel!.adoptArena(arena);
      } catch (error) {
        // An argument that cannot be cloned (a function, a class instance with private state).
        this.running.pop();
        this.busy[threadId] = false;
        call.reject(new InvalidArgumentError(`The arguments of "${call.label}" cannot be sent to a thread: ${(error as Error).message}`));
        threadId--;
      }
    }
  }

  private awaitFastCall(threadId: number): void {
    this.channels[threadId]!.whenAnswered(() => this.finishFastCall(threadId));
  }

  /** The thread left the slot (its notify, or its `wake` message): settles the call if its result is in the arena. */
  private finishFastCall(threadId: number): void {
    const channel = this.channels[threadId];
    if (!channel || this.closing !== undefined) return;
    const answer = channel.takeAnswer();
    if (answer.kind === 'pending') {
      if (channel.wake === 'wait-async') this.awaitFastCall(threadId);
      return;
    }
    if (answer.kind === 'none') return;
    const index = this.running.findIndex((call) => call.callId === answer.callId);
    if (index < 0) return;
    const [call] = this.running.splice(index, 1);
    call!.resolve(answer.value);
    this.busy[threadId] = false;
    this.dispatch();
  }

  private async shutDown(reason: () => Error, graceful: boolean): Promise<void> {
    for (const channel of this.channels) channel?.close();
    const pending = [...this.running, ...this.queue, ...this.threadQueues.flat()];
    this.running.length = 0;
    this.queue.length = 0;
    for (const queue of this.threadQueues) queue.length = 0;
    for (const call of pending) call.reject(reason());

    // Why: rayon threads never return to JavaScript (they wait in rayon's loop), so they are
    // ended first; when the memory outlives the pool, one idle caller thread then frees their
    // stacks and TLS in the shared heap. A memory weft made dies with the pool, and freeing
    // would only risk waiting on an allocator lock that an ended thread held.
    await Promise.allSettled(this.rayon.map((thread) => thread.worker.terminate()));
    const orphans = this.memoryOutlivesPool ? this.rayon.flatMap((thread) => (thread.threadMemory === null ? [] : [thread.threadMemory])) : [];
    const idle = this.callers.map((_, threadId) => threadId).filter((threadId) => !this.busy[threadId]);
    await Promise.allSettled(
      this.callers.map(async (worker, threadId) => {
        if (graceful && idle.includes(threadId)) await this.tearDown(worker, threadId, threadId === idle[0] ? orphans : []);
        await worker.terminate();
      }),
    );
  }

  private tearDown(worker: WorkerHandle, threadId: number, orphans: readonly BindgenThreadMemory[]): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, TEARDOWN_TIMEOUT_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.closedWaiters.set(threadId, done);
      worker.keepAlive(true);
      try {
        worker.postMessage({ weft: ENVELOPE, type: 'bindgen-close', orphans });
      } catch {
        done();
      }
    });
  }
}

function exportTarget(name: unknown): BindgenCallTarget {
  return { kind: 'export', name: name as string };
}

/** The thread's error, with the thread and export it came from. */
function describeCallError(error: Error, threadId: number, name: string): Error {
  Object.defineProperty(error, 'threadId', { value: threadId, enumerable: true, configurable: true, writable: true });
  Object.defineProperty(error, 'exportName', { value: name, enumerable: true, configurable: true, writable: true });
  return error;
}
