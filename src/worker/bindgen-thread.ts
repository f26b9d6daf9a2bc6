import { WorkerStartError } from '../errors/catalogue.js';
import { deserializeError, serializeError } from '../errors/serialize.js';
import type { BindgenCallMessage, BindgenCloseMessage, BindgenFastCallSetup, BindgenInitMessage, BindgenRayonStartedMessage } from '../protocol/bindgen-messages.js';
import { ENVELOPE, isWeftMessage } from '../protocol/messages.js';
import { initThreadPoolThrough } from '../producers/rayon-shim.js';
import { describeGlueProblem, glueExport, type GlueNamespace, type GlueWasmExports, initGlue, readThreadMemory } from '../producers/wasm-bindgen-glue.js';
import { FastCallReceiver } from './bindgen-fast-calls.js';
import { ThreadObjects } from './bindgen-objects.js';
import type { WorkerPort } from './worker-port.js';

/**
 * The life of one worker of a wasm-bindgen pool: load the glue (imported by URL, or built into
 * a worker the caller made), initialize it on the shared module and memory, then either run
 * glue exports on request (a caller thread) or become a wasm-bindgen-rayon pool thread.
 */
export async function runBindgenThread(port: WorkerPort, init: BindgenInitMessage, builtInGlue: GlueNamespace | undefined): Promise<void> {
  let glue: GlueNamespace;
  let exports: GlueWasmExports;
  try {
    glue = builtInGlue ?? (await importGlue(init.glueUrl));
    exports = await initGlue(glue, init.module, init.memory, init.initForm, init.threadStackSize);
  } catch (error) {
    port.post({ weft: ENVELOPE, type: 'init-failed', threadId: init.threadId, error: serializeError(error) });
    return;
  }
  if (init.role === 'rayon') {
    runRayonThread(port, init, glue, exports);
    return;
  }
  const thread = new CallerThread(port, init.threadId, glue, exports, init.fastCalls ?? null);
  port.onMessage((data) => thread.onMessage(data));
  if (init.rayonThreads > 0) {
    try {
      await initThreadPoolThrough(glue, init.rayonThreads, ({ receiver }) => thread.requestRayonThread(receiver));
    } catch (error) {
      port.post({ weft: ENVELOPE, type: 'init-failed', threadId: init.threadId, error: serializeError(error) });
      return;
    }
  }
  port.post({ weft: ENVELOPE, type: 'ready', threadId: init.threadId });
  thread.fastCalls?.listen();
}

/**
 * The worker side of a wasm-bindgen pool whose worker the caller made (`createWorker`), with
 * the glue imported statically so that bundlers see it: waits for the init message and runs
 * the thread on `glue`.
 */
export function serveBindgenThreadOn(port: WorkerPort, glue: GlueNamespace): void {
  let started = false;
  port.onMessage((data) => {
    if (started || !isWeftMessage(data) || data.type !== 'init-bindgen') return;
    started = true;
    void runBindgenThread(port, data as BindgenInitMessage, glue);
  });
}

async function importGlue(glueUrl: string | null): Promise<GlueNamespace> {
  if (glueUrl === null) throw new TypeError('This worker has no glue: give createBindgenPool the glue URL, or a createWorker whose worker calls serveBindgenThread(glue).');
  // Why: the URL is known only at run time. Without a bundler (and in Node) the browser or Node
  // loads it as is; bundler users pass `createWorker` with a worker that imports the glue
  // statically, so this import must not be rewritten by them.
  let glue: unknown;
  try {
    glue = await import(/* @vite-ignore */ /* webpackIgnore: true */ glueUrl);
  } catch (error) {
    // Why: Node's ERR_MODULE_NOT_FOUND (or the browser's TypeError for a 404) would reach the
    // caller as is; the caller needs to know it was the glue, and which path or URL.
    throw new WorkerStartError(
      `Could not import the wasm-bindgen glue ${describeGlueLocation(glueUrl)}: ${(error as Error).message}. ` +
        'Check the "glue" given to createBindgenPool: the pkg/<crate>.js that wasm-bindgen wrote.',
      { cause: error },
    );
  }
  const problem = describeGlueProblem(glue);
  if (problem !== undefined) throw new TypeError(`The module at ${glueUrl} is not wasm-bindgen glue: ${problem}.`);
  return glue as GlueNamespace;
}

/** The glue's file path for a file: URL (as the caller likely gave it), else its URL. */
function describeGlueLocation(glueUrl: string): string {
  if (!glueUrl.startsWith('file:')) return `at ${glueUrl}`;
  try {
    return `file ${decodeURIComponent(new URL(glueUrl).pathname)}`;
  } catch {
    return `at ${glueUrl}`;
  }
}

function runRayonThread(port: WorkerPort, init: BindgenInitMessage, glue: GlueNamespace, exports: GlueWasmExports): void {
  const startWorker = glueExport(glue, 'wbg_rayon_start_worker');
  if (typeof startWorker !== 'function' || init.receiver === null) {
    const error = new TypeError('The glue has no wbg_rayon_start_worker export: the crate does not use wasm-bindgen-rayon.');
    port.post({ weft: ENVELOPE, type: 'init-failed', threadId: init.threadId, error: serializeError(error) });
    return;
  }
  port.post({ weft: ENVELOPE, type: 'ready', threadId: init.threadId, threadMemory: readThreadMemory(exports) });
  try {
    // Runs rayon's worker loop: returns only if a job panics (a trap), which leaves the job's
    // caller waiting for ever, so the host must hear of it.
    (startWorker as (receiver: number) => void)(init.receiver);
  } catch (error) {
    port.post({ weft: ENVELOPE, type: 'bindgen-thread-failed', threadId: init.threadId, error: serializeError(error) });
  }
}

/** A thread that runs glue exports one at a time, as the host sends them. */
class CallerThread {
  private spawnCount = 0;
  private readonly spawns = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private readonly objects: ThreadObjects;
  /** The shared-memory side of this thread's calls; null when every call comes by message. */
  readonly fastCalls: FastCallReceiver | null;

  constructor(
    private readonly port: WorkerPort,
    private readonly threadId: number,
    glue: GlueNamespace,
    private readonly exports: GlueWasmExports,
    fastCalls: BindgenFastCallSetup | null,
  ) {
    this.objects = new ThreadObjects(glue);
    this.fastCalls = fastCalls === null ? null : new FastCallReceiver(fastCalls, port, threadId, this.objects);
  }

  onMessage(data: unknown): void {
    if (!isWeftMessage(data)) return;
    if (data.type === 'bindgen-call') void this.call(data as BindgenCallMessage);
    else if (data.type === 'bindgen-wake') this.fastCalls?.listen();
    else if (data.type === 'bindgen-rayon-started') this.rayonStarted(data as BindgenRayonStartedMessage);
    else if (data.type === 'bindgen-close') this.close(data as BindgenCloseMessage);
  }

  requestRayonThread(receiver: number): Promise<void> {
    const spawnId = this.spawnCount++;
    return new Promise<void>((resolve, reject) => {
      this.spawns.set(spawnId, { resolve, reject });
      this.port.post({ weft: ENVELOPE, type: 'bindgen-rayon-spawn', spawnId, receiver });
    });
  }

  private rayonStarted(message: BindgenRayonStartedMessage): void {
    const spawn = this.spawns.get(message.spawnId);
    if (spawn === undefined) return;
    this.spawns.delete(message.spawnId);
    if (message.error === null) spawn.resolve();
    else spawn.reject(deserializeError(message.error));
  }

  private async call(message: BindgenCallMessage): Promise<void> {
    const { callId } = message;
    if (message.arena !== null) this.fastCalls?.adoptArena(message.arena);
    try {
      const { value, kept } = await this.objects.run(message);
      this.port.post({ weft: ENVELOPE, type: 'bindgen-result', callId, value, kept, arena: null });
    } catch (error) {
      this.port.post({ weft: ENVELOPE, type: 'bindgen-error', callId, threadId: this.threadId, error: serializeError(error) });
    }
  }

  private close(message: BindgenCloseMessage): void {
    this.fastCalls?.stop();
    const destroy = this.exports.__wbindgen_thread_destroy;
    if (typeof destroy === 'function') {
      try {
        // Why: rayon threads never return to JavaScript, so once the host has ended them, their
        // stacks and TLS blocks in the shared heap are freed from here; then this thread's own.
        for (const orphan of message.orphans) destroy(orphan.tlsBase, orphan.stackAlloc);
        // Why: the instance that ran wasm-bindgen's start function runs on the linker's static
        // stack (its __stack_alloc stays 0), and destroy() would hand address 0 to the
        // allocator: V8 traps ("memory access out of bounds"), JavaScriptCore (Bun) loops for
        // ever in that thread, which Bun's terminate() cannot stop, so close() never settled.
        // Only its small TLS block stays allocated.
        if (readThreadMemory(this.exports)?.stackAlloc !== 0) destroy();
      } catch {
        // The memory dies with the pool anyway; the thread must still end.
      }
    }
    this.port.post({ weft: ENVELOPE, type: 'bindgen-closed', threadId: this.threadId });
    this.port.close();
  }
}
