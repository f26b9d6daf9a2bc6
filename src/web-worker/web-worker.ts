import { resolveObjectURL } from 'node:buffer';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker as ThreadWorker } from 'node:worker_threads';
import { MessageTarget } from './message-target.js';
import type { WorkerReport } from './worker-report.js';
import type { WorkerScript } from './worker-script.js';

/** The options of the web's `new Worker(url, options)` that weft's Worker honours. */
export interface WebWorkerOptions {
  /** `'classic'` (the web's default: a script run with `importScripts` available) or `'module'`. */
  readonly type?: 'classic' | 'module';
  /** The worker's `self.name`. */
  readonly name?: string;
  /** Accepted for compatibility; files are read without credentials. */
  readonly credentials?: string;
}

const BOOTSTRAP = new URL('./worker-bootstrap.js', import.meta.url);

/** The workers this thread made that have not ended. */
const liveWorkers = new Set<WebWorker>();

/** Terminates every worker this thread made (a worker's `close()` ends its own workers too). */
export function terminateWebWorkers(): void {
  for (const worker of [...liveWorkers]) worker.terminate();
}

/** The URL relative worker URLs resolve against: the worker script's own, or the working directory. */
function baseUrl(): string {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : pathToFileURL(`${process.cwd()}/`).href;
}

/** Reads a `blob:` URL now, as browsers do: revoking it after `new Worker` must not matter. */
function blobOf(url: string): Blob {
  const blob = resolveObjectURL(url);
  if (blob === undefined) throw new DOMException(`new Worker(): the blob URL ${url} is not registered in this thread (it was revoked, or made by another thread).`, 'NotFoundError');
  return blob as Blob;
}

/**
 * The web's dedicated `Worker`, built on `node:worker_threads` for Node.js, Deno and Bun: the
 * worker runs its script with the web's worker globals (`self`, `postMessage`, `onmessage`,
 * `close`, `importScripts`, `location`, `navigator`, a `Worker` of its own for nested workers,
 * and `fetch` of `file:` URLs), so browser-only glue runs unchanged.
 *
 * Lifetime: like a Node `MessagePort`, the worker keeps its process alive only while a `message`
 * listener or `onmessage` is set on it (or after `ref()`); a pool thread nobody listens to any
 * more lets the process exit. `terminate()` ends it, and so does the end of the thread that made it.
 */
export class WebWorker extends MessageTarget {
  readonly #thread: ThreadWorker;
  readonly #url: string;
  #pinned: boolean | undefined;
  #ended = false;

  constructor(scriptUrl: string | URL, options: WebWorkerOptions = {}) {
    super(() => this.#updateRef());
    // Why: the web's constructor converts its argument with ToString, which throws on a Symbol,
    // and requires one; String() would turn either into a file name and start a worker on it.
    if (arguments.length === 0) throw new TypeError('new Worker(): 1 argument required (the script URL), but only 0 present.');
    if (typeof scriptUrl === 'symbol') throw new TypeError('new Worker(): a Symbol cannot be converted to a script URL.');
    let url: URL;
    try {
      url = new URL(String(scriptUrl), baseUrl());
    } catch {
      throw new DOMException(`new Worker(): ${JSON.stringify(String(scriptUrl))} is not a valid URL.`, 'SyntaxError');
    }
    if (url.protocol !== 'file:' && url.protocol !== 'data:' && url.protocol !== 'blob:') {
      throw new DOMException(
        `new Worker(${url.href}): weft's Worker for Node.js, Deno and Bun loads file:, data: and blob: URLs; load the script from disk (new URL('./worker.js', import.meta.url)).`,
        'SecurityError',
      );
    }
    const type = options?.type === undefined ? 'classic' : options.type;
    if (type !== 'classic' && type !== 'module') throw new TypeError(`new Worker(): "type" must be 'classic' or 'module', got ${JSON.stringify(type)}.`);
    const script: WorkerScript = {
      url: url.href,
      type,
      name: typeof options?.name === 'string' ? options.name : '',
      blob: url.protocol === 'blob:' ? blobOf(url.href) : null,
    };
    this.#url = url.href;
    const reports = new MessageChannel();
    this.#thread = new ThreadWorker(BOOTSTRAP, { workerData: { script, reports: reports.port2 }, transferList: [reports.port2] });
    reports.port1.on('message', (report: WorkerReport) => this.#reportError(report.error));
    reports.port1.unref();
    this.#thread.on('message', (data: unknown) => this.dispatchMessage('message', data));
    this.#thread.on('messageerror', (error: unknown) => this.dispatchMessage('messageerror', error));
    this.#thread.on('error', (error: unknown) => this.#reportError(error));
    liveWorkers.add(this);
    this.#thread.on('exit', () => {
      this.#ended = true;
      liveWorkers.delete(this);
      reports.port1.close();
    });
    this.#updateRef();
  }

  /** Sends a message to the worker; `transfer` (or `{ transfer }`) lists objects to move. */
  postMessage(message: unknown, transfer?: readonly Transferable[] | StructuredSerializeOptions): void {
    if (this.#ended) return;
    const list = Array.isArray(transfer) ? transfer : ((transfer as StructuredSerializeOptions | undefined)?.transfer ?? []);
    this.#thread.postMessage(message, list as never);
  }

  /** Ends the worker at once, as the web's `terminate()` (which returns nothing). */
  terminate(): void {
    this.#ended = true;
    liveWorkers.delete(this);
    void this.#thread.terminate();
  }

  /** Keeps the process alive while the worker runs, whatever listens to it (Node's `worker.ref()`). */
  ref(): void {
    this.#pinned = true;
    this.#updateRef();
  }

  /** Lets the process exit while the worker runs, whatever listens to it (Node's `worker.unref()`). */
  unref(): void {
    this.#pinned = false;
    this.#updateRef();
  }

  #reportError(error: unknown): void {
    // Why: browsers report an uncaught worker error on the page's console unless a listener
    // cancels it; it never ends the page. Node would make it the creator's uncaught exception.
    if (this.dispatchError(error, this.#url)) console.error(`Uncaught error in worker ${this.#url}:`, error);
  }

  #updateRef(): void {
    if (this.#pinned ?? this.hasMessageListener) this.#thread.ref();
    else this.#thread.unref();
  }
}
