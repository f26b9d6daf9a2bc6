import { Errno } from './constants.js';
import { WasiErrnoError } from './errno-error.js';
import { encodeText } from './memory.js';

/**
 * What a WASI program reads on stdin: all of a string (UTF-8) or bytes, or chunks that arrive
 * over time from an async iterable (e.g. Node's `process.stdin`) or a web `ReadableStream`.
 */
export type WasiInput = string | Uint8Array | AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

/** Where a WASI program's stdout or stderr bytes go (each call gets its own copy). */
export type WasiOutput = (bytes: Uint8Array) => void;

type Pull = () => Promise<IteratorResult<Uint8Array | string>>;

interface PendingRead {
  readonly max: number;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The program's one stdin: a buffer that all threads read in the order they asked. A read
 * takes what is buffered (at least one byte) at once; with nothing buffered it waits for the next
 * chunk, or answers zero bytes at end of input. The source is pulled only while someone waits,
 * so a program that never reads stdin never touches it.
 */
export class StdinBuffer {
  readonly #chunks: Uint8Array[] = [];
  #available = 0;
  #ended = false;
  #failure: unknown = undefined;
  #input: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array> | undefined;
  #pull: Pull | undefined;
  #stop: (() => void) | undefined;
  #pulling = false;
  readonly #readers: PendingRead[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(input: WasiInput | undefined) {
    if (input === undefined) this.#ended = true;
    else if (typeof input === 'string' || input instanceof Uint8Array) {
      this.#push(input);
      this.#ended = true;
    } else this.#input = input;
  }

  /** Bytes a read would get at once. */
  get available(): number {
    return this.#available;
  }

  /** Whether a read would answer at once: data, end of input, or a failed source. */
  isReady(): boolean {
    return this.#available > 0 || this.#ended;
  }

  /** Up to `max` bytes, at once when {@link isReady} and no earlier read waits, else when they come. */
  read(max: number): Uint8Array | Promise<Uint8Array> {
    if (this.#readers.length === 0 && this.isReady()) return this.#take(max);
    return new Promise((resolve, reject) => {
      this.#readers.push({ max, resolve, reject });
      this.#demand();
    });
  }

  /** Calls `listener` once when a read would answer at once; returns a function that cancels it. */
  onReady(listener: () => void): () => void {
    if (this.isReady()) {
      queueMicrotask(listener);
      return () => {};
    }
    this.#waiters.add(listener);
    this.#demand();
    return () => this.#waiters.delete(listener);
  }

  /** Stops reading the source (a Node stream is destroyed, an iterator returned); pending reads get end of input. */
  close(): void {
    this.#ended = true;
    this.#stop?.();
    this.#stop = undefined;
    this.#settle();
  }

  #take(max: number): Uint8Array {
    if (this.#available === 0 && this.#failure !== undefined) {
      throw new WasiErrnoError(Errno.IO, 'stdin source failed', { cause: this.#failure });
    }
    const out = new Uint8Array(Math.min(max, this.#available));
    let filled = 0;
    while (filled < out.length) {
      const chunk = this.#chunks[0]!;
      const part = chunk.subarray(0, out.length - filled);
      out.set(part, filled);
      filled += part.length;
      if (part.length === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(part.length);
    }
    this.#available -= filled;
    return out;
  }

  #push(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === 'string' ? encodeText(chunk) : chunk.slice();
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#available += bytes.length;
  }

  /** Hands out data to waiting readers in order, and tells pollers. */
  #settle(): void {
    while (this.#readers.length > 0 && this.isReady()) {
      const reader = this.#readers.shift()!;
      try {
        reader.resolve(this.#take(reader.max));
      } catch (error) {
        reader.reject(error);
      }
    }
    if (this.isReady()) {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const waiter of waiters) waiter();
    }
  }

  #demand(): void {
    if (this.#pulling || this.#ended || (this.#readers.length === 0 && this.#waiters.size === 0)) return;
    this.#pull ??= this.#open();
    this.#pulling = true;
    this.#pull().then(
      (result) => {
        this.#pulling = false;
        if (this.#ended) return;
        if (result.done) this.#ended = true;
        else this.#push(result.value);
        this.#settle();
        this.#demand();
      },
      (error: unknown) => {
        this.#pulling = false;
        if (this.#ended) return;
        this.#failure = error;
        this.#ended = true;
        this.#settle();
      },
    );
  }

  #open(): Pull {
    const input = this.#input!;
    if ('getReader' in input && typeof input.getReader === 'function') {
      const reader = (input as ReadableStream<Uint8Array>).getReader();
      this.#stop = () => void reader.cancel().catch(() => {});
      return () => reader.read() as Promise<IteratorResult<Uint8Array>>;
    }
    const iterator = (input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
    const stream = input as { destroy?: () => void };
    // Why destroy() for a Node stream: an async generator's return() waits for the pending
    // next(), which for an open `process.stdin` never comes, and the process could not exit.
    this.#stop = typeof stream.destroy === 'function' ? () => stream.destroy!() : () => void iterator.return?.()?.catch(() => {});
    return () => iterator.next();
  }
}

/** The most bytes of an unfinished line held back before they are written anyway. */
const MAX_PARTIAL_LINE = 64 * 1024;

/**
 * stdout and stderr of one program. Each stream writes whole lines to its sink and holds back a
 * final line without a newline until the line ends, {@link flush} is called, the program waits
 * (stdin or poll), or the other stream writes — so the two keep the order in which the program
 * wrote, and a sink that prints one line per call (console.log) prints whole lines.
 */
export class OutputStreams {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;

  constructor(stdout: WasiOutput | undefined, stderr: WasiOutput | undefined) {
    this.stdout = new OutputStream(stdout, () => this.stderr.flush());
    this.stderr = new OutputStream(stderr, () => this.stdout.flush());
  }

  /** Writes out both streams' unfinished lines. */
  flush(): void {
    this.stdout.flush();
    this.stderr.flush();
  }
}

/** One output stream: see {@link OutputStreams}. */
export class OutputStream {
  readonly #sink: WasiOutput | undefined;
  readonly #beforeWrite: () => void;
  #partial: Uint8Array[] = [];
  #partialLength = 0;

  constructor(sink: WasiOutput | undefined, beforeWrite: () => void) {
    this.#sink = sink;
    this.#beforeWrite = beforeWrite;
  }

  /** Takes `bytes` (a copy the stream may keep). */
  write(bytes: Uint8Array): void {
    if (!this.#sink || bytes.length === 0) return;
    this.#beforeWrite();
    const newline = bytes.lastIndexOf(10);
    if (newline < 0) {
      this.#partial.push(bytes);
      this.#partialLength += bytes.length;
      if (this.#partialLength >= MAX_PARTIAL_LINE) this.flush();
      return;
    }
    const lines = bytes.subarray(0, newline + 1);
    const rest = bytes.subarray(newline + 1);
    this.#emit(this.#partialLength === 0 ? lines : concat([...this.#partial, lines], this.#partialLength + lines.length));
    this.#partial = rest.length > 0 ? [rest] : [];
    this.#partialLength = rest.length;
  }

  /** Writes out the unfinished line, if any. */
  flush(): void {
    if (this.#partialLength === 0) return;
    const bytes = concat(this.#partial, this.#partialLength);
    this.#partial = [];
    this.#partialLength = 0;
    this.#emit(bytes);
  }

  #emit(bytes: Uint8Array): void {
    try {
      this.#sink!(bytes);
    } catch (error) {
      throw new WasiErrnoError(Errno.IO, 'the output sink threw', { cause: error });
    }
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0]!.length === length) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

