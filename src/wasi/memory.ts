import { Errno, Layout } from './constants.js';
import { fail } from './errno-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** One scatter/gather buffer (`iovec` or `ciovec`) as read from guest memory. */
export interface GuestBuffer {
  readonly pointer: number;
  readonly length: number;
}

/** The most bytes one call moves through its iovecs (POSIX's SSIZE_MAX for a 32-bit guest). */
const MAX_IO_BYTES = 0x7fff_ffff;

/**
 * Bounds-checked little-endian access to a guest's linear memory for the length of one call.
 * An address outside the memory fails with `EFAULT`; address 0 is a valid address.
 *
 * Why the views are re-created: `memory.grow` (by any thread) replaces `memory.buffer`, and a
 * view over the old buffer keeps the old length. A call builds one `GuestMemory` when it starts,
 * and a call that awaits builds a new one with {@link GuestMemory.renew} before it writes.
 * Why bytes are copied rather than handed out as views: `TextDecoder`, `crypto.getRandomValues`
 * and many sinks refuse views of a `SharedArrayBuffer`, and the guest may change them later.
 */
export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  #bytes: Uint8Array;
  #view: DataView;

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
    this.#bytes = new Uint8Array(memory.buffer);
    this.#view = new DataView(memory.buffer);
  }

  /** A fresh accessor over the memory as it is now (after an await, it may have grown). */
  renew(): GuestMemory {
    return new GuestMemory(this.memory);
  }

  #check(pointer: number, length: number): void {
    if (pointer + length <= this.#bytes.length) return;
    // Why: another thread may have grown the memory after this call began.
    this.#bytes = new Uint8Array(this.memory.buffer);
    this.#view = new DataView(this.memory.buffer);
    if (pointer + length > this.#bytes.length) fail(Errno.FAULT);
  }

  getU8(pointer: number): number {
    this.#check(pointer, 1);
    return this.#view.getUint8(pointer);
  }
  getU16(pointer: number): number {
    this.#check(pointer, 2);
    return this.#view.getUint16(pointer, true);
  }
  getU32(pointer: number): number {
    this.#check(pointer, 4);
    return this.#view.getUint32(pointer, true);
  }
  getU64(pointer: number): bigint {
    this.#check(pointer, 8);
    return this.#view.getBigUint64(pointer, true);
  }
  setU8(pointer: number, value: number): void {
    this.#check(pointer, 1);
    this.#view.setUint8(pointer, value);
  }
  setU16(pointer: number, value: number): void {
    this.#check(pointer, 2);
    this.#view.setUint16(pointer, value, true);
  }
  setU32(pointer: number, value: number): void {
    this.#check(pointer, 4);
    this.#view.setUint32(pointer, value, true);
  }
  setU64(pointer: number, value: bigint): void {
    this.#check(pointer, 8);
    this.#view.setBigUint64(pointer, BigInt.asUintN(64, value), true);
  }

  /** A copy of `length` bytes at `pointer`. */
  read(pointer: number, length: number): Uint8Array {
    this.#check(pointer, length);
    return this.#bytes.slice(pointer, pointer + length);
  }

  /** Copies `bytes` to `pointer`. */
  write(pointer: number, bytes: Uint8Array): void {
    this.#check(pointer, bytes.length);
    this.#bytes.set(bytes, pointer);
  }

  /** Fails with `EFAULT` unless `[pointer, pointer + length)` is inside the memory. */
  checkRange(pointer: number, length: number): void {
    this.#check(pointer, length);
  }

  /** The UTF-8 string at `pointer`; invalid UTF-8 fails with `EILSEQ`. */
  readString(pointer: number, length: number): string {
    const bytes = this.read(pointer, length);
    try {
      return decoder.decode(bytes);
    } catch {
      return fail(Errno.ILSEQ);
    }
  }

  /** Reads an array of `count` iovecs (or ciovecs) at `pointer`; their total must fit a 31-bit size. */
  readBuffers(pointer: number, count: number): GuestBuffer[] {
    this.#check(pointer, count * Layout.IOVEC.SIZE);
    const buffers: GuestBuffer[] = [];
    let total = 0;
    for (let index = 0; index < count; index += 1) {
      const at = pointer + index * Layout.IOVEC.SIZE;
      const buffer = { pointer: this.getU32(at + Layout.IOVEC.BUF), length: this.getU32(at + Layout.IOVEC.BUF_LEN) };
      total += buffer.length;
      if (total > MAX_IO_BYTES) fail(Errno.INVAL);
      this.#check(buffer.pointer, buffer.length);
      buffers.push(buffer);
    }
    return buffers;
  }

  /** Gathers the bytes of `buffers` into one copy. */
  gather(buffers: readonly GuestBuffer[]): Uint8Array {
    const out = new Uint8Array(totalLength(buffers));
    let offset = 0;
    for (const buffer of buffers) {
      out.set(this.read(buffer.pointer, buffer.length), offset);
      offset += buffer.length;
    }
    return out;
  }

  /** Scatters `data` over `buffers` in order; returns the bytes placed (at most `data.length`). */
  scatter(buffers: readonly GuestBuffer[], data: Uint8Array): number {
    let offset = 0;
    for (const buffer of buffers) {
      if (offset >= data.length) break;
      const part = data.subarray(offset, offset + buffer.length);
      this.write(buffer.pointer, part);
      offset += part.length;
    }
    return offset;
  }
}

/** The sum of the lengths of `buffers`. */
export function totalLength(buffers: readonly GuestBuffer[]): number {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  return total;
}

/** UTF-8 bytes of `text`. */
export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}
