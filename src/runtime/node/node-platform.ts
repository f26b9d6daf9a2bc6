import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { REWRITE_HEADROOM } from '../../core/import-own-memory.js';
import { describeValue } from '../../core/option-checks.js';
import type { Platform, WorkerHandle } from '../../core/platform.js';
import { InvalidOptionError, SharedMemoryUnavailableError } from '../../errors/catalogue.js';
import type { HostToWorkerMessage } from '../../protocol/messages.js';
import { hasLiftoffAtomicsBug } from './liftoff-bug.js';

let liftoffDisabled = false;

/**
 * A file's contents, with REWRITE_HEADROOM free bytes before them in their buffer.
 * Why: a plain wasip1 program is rewritten to import its memory before it compiles; with room
 * before it, the rewrite changes its first few sections in place instead of copying all of it.
 */
async function readModuleFile(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const stats = await file.stat();
    // Why: a FIFO or device has no size to allocate for; read it to its end instead.
    if (!stats.isFile()) return new Uint8Array(await file.readFile());
    const buffer = new Uint8Array(REWRITE_HEADROOM + stats.size);
    let length = 0;
    while (length < stats.size) {
      const { bytesRead } = await file.read(buffer, REWRITE_HEADROOM + length, stats.size - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(REWRITE_HEADROOM, REWRITE_HEADROOM + length);
  } finally {
    await file.close();
  }
}

class NodeWorkerHandle implements WorkerHandle {
  private terminating = false;

  constructor(private readonly worker: Worker) {}

  postMessage(message: HostToWorkerMessage, transfer: readonly Transferable[] = []): void {
    this.worker.postMessage(message, transfer as never);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.worker.on('message', listener);
  }

  onFailure(listener: (error: Error) => void): void {
    let reported = false;
    const report = (error: Error): void => {
      if (reported || this.terminating) return;
      reported = true;
      listener(error);
    };
    this.worker.on('error', (error: Error) => report(error));
    this.worker.on('exit', (code: number) => report(new Error(`the worker thread exited with code ${code}`)));
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
  }

  keepAlive(alive: boolean): void {
    if (alive) this.worker.ref();
    else this.worker.unref();
  }
}

/** worker_threads, the file system, and the V8 workaround for Node 20. */
export const nodePlatform: Platform = {
  name: 'node',
  terminateStopsRunningCode: !('Deno' in globalThis),

  createWorker(threadId) {
    // Why: the literal `new URL('…', import.meta.url)` is the form bundlers recognise.
    const worker = new Worker(new URL('../../worker/node-entry.js', import.meta.url), { name: `weft-${threadId}` });
    return new NodeWorkerHandle(worker);
  },

  adoptWorker(worker, option) {
    if (!(worker instanceof Worker)) {
      throw new InvalidOptionError(option, `"${option}" must return a worker_threads Worker, e.g. () => new Worker(new URL('./thread.js', import.meta.url)); it returned ${describeValue(worker)}.`);
    }
    return new NodeWorkerHandle(worker);
  },

  defaultThreadCount() {
    return availableParallelism();
  },

  toAbsoluteUrl(source) {
    return (toUrl(source) ?? pathToFileURL(resolve(source as string))).href;
  },

  async loadBytes(source) {
    const url = toUrl(source);
    if (url === undefined) return readModuleFile(source as string);
    if (url.protocol === 'file:') return readModuleFile(fileURLToPath(url));
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  },

  assertSharedMemoryAvailable() {
    // Why: Node has SharedArrayBuffer unless started with V8 flags that remove it.
    if (typeof SharedArrayBuffer === 'undefined') throw new SharedMemoryUnavailableError();
  },

  hasWaitAsync() {
    return typeof Atomics.waitAsync === 'function';
  },

  prepareEngine({ nodeLiftoffWorkaround }) {
    if (!nodeLiftoffWorkaround || liftoffDisabled || !hasLiftoffAtomicsBug(process.versions.node)) return;
    // Why: V8 11.x (Node 20) loses a wasm local across memory.atomic.wait32 with a timeout
    // in its baseline compiler, Liftoff (fixed in Node 22.23 and 24.21). Turning Liftoff off
    // makes V8 compile wasm with TurboFan only. The flag is process-wide, and still takes
    // effect for modules compiled earlier, because V8 compiles wasm functions lazily.
    setFlagsFromString('--no-liftoff');
    liftoffDisabled = true;
  },
};

const URL_SCHEMES = new Set(['file:', 'http:', 'https:', 'data:']);

function toUrl(source: string | URL): URL | undefined {
  if (source instanceof URL) return source;
  try {
    const url = new URL(source);
    return URL_SCHEMES.has(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}
