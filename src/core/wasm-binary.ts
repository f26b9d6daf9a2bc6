/**
 * Just enough of a WebAssembly binary reader to learn what the JS API does not tell: the
 * limits and `shared` flag of a memory import, and the names of globals in the "name"
 * custom section. Format: https://webassembly.github.io/spec/core/binary/modules.html and
 * the extended name section (global names are subsection 7).
 *
 * Every reader here takes time linear in what it reads and copies nothing: sections are views
 * into the caller's bytes, and only the headers of sections it does not need are read.
 * Why: real programs are tens of MB (the Ruby interpreter is 16-30 MB), so nothing may spread
 * a section into arguments or an array, or walk it byte by byte through JavaScript values.
 */

export interface MemoryLimits {
  readonly initial: number;
  readonly maximum: number | undefined;
  readonly shared: boolean;
  readonly index64: boolean;
}

export interface MemoryImportInfo extends MemoryLimits {
  readonly module: string;
  readonly name: string;
}

/** One section of a module: its id and a view of its body (not a copy). */
export interface WasmSection {
  readonly id: number;
  readonly body: Uint8Array;
}

/** What {@link readImportSection} learns from an import section. */
export interface ImportSectionInfo {
  /** How many imports the section declares. */
  readonly count: number;
  /** Where the entries start in the section's body (after the count). */
  readonly entriesOffset: number;
  /** The memory imports, in import order. */
  readonly memories: MemoryImportInfo[];
  /** The type index of each imported function, in import order (they come first in the function index space). */
  readonly functionTypes: number[];
}

export const SECTION_CUSTOM = 0;
export const SECTION_TYPE = 1;
export const SECTION_IMPORT = 2;
export const SECTION_FUNCTION = 3;
export const SECTION_MEMORY = 5;
export const SECTION_EXPORT = 7;
export const SECTION_CODE = 10;
const IMPORT_FUNC = 0;
const IMPORT_TABLE = 1;
export const IMPORT_MEMORY = 2;
const IMPORT_GLOBAL = 3;
const IMPORT_TAG = 4;
export const LIMITS_HAS_MAX = 1;
export const LIMITS_SHARED = 2;
const LIMITS_INDEX64 = 4;
const NAME_SUBSECTION_GLOBALS = 7;
const HEADER_BYTES = 8;
const utf8 = new TextDecoder();

/** Reads the parts of a wasm binary this library needs (LEB128, names, limits). */
export class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    const b = this.bytes[this.offset++];
    if (b === undefined) throw new RangeError('unexpected end of wasm binary');
    return b;
  }

  /** Unsigned LEB128 up to 2^53 (enough for every size and index in a real module). */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
      if (scale > 2 ** 63) throw new RangeError('LEB128 number too long in wasm binary');
    }
  }

  name(): string {
    const length = this.uleb();
    const text = utf8.decode(this.bytes.subarray(this.offset, this.end(length)));
    this.offset += length;
    return text;
  }

  /** The offset `length` bytes on, checked to be inside the bytes. */
  end(length: number): number {
    const end = this.offset + length;
    if (end > this.bytes.length) throw new RangeError('unexpected end of wasm binary');
    return end;
  }

  limits(): MemoryLimits {
    const flags = this.byte();
    const initial = this.uleb();
    const maximum = flags & LIMITS_HAS_MAX ? this.uleb() : undefined;
    return { initial, maximum, shared: (flags & LIMITS_SHARED) !== 0, index64: (flags & LIMITS_INDEX64) !== 0 };
  }
}

/** True when the bytes start with the wasm magic number and version 1. */
export function hasWasmHeader(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d &&
    bytes[4] === 0x01 && bytes[5] === 0x00 && bytes[6] === 0x00 && bytes[7] === 0x00
  );
}

/**
 * The sections of a module in order, as views into `bytes`. Reads only the section headers.
 * Throws RangeError when a section runs past the end.
 */
export function readSections(bytes: Uint8Array): WasmSection[] {
  return [...eachSection(bytes)];
}

/**
 * The sections of a module one at a time, so that a caller looking for one stops reading there
 * (and may pass only the start of a file). Throws a RangeError where a size runs past the end.
 */
export function* eachSection(bytes: Uint8Array): Generator<WasmSection> {
  const reader = new Reader(bytes);
  reader.offset = HEADER_BYTES;
  while (!reader.done) {
    const id = reader.byte();
    const size = reader.uleb();
    const end = reader.end(size);
    yield { id, body: bytes.subarray(reader.offset, end) };
    reader.offset = end;
  }
}

/** The memory imports of a module, with their limits, in import order. */
export function readMemoryImports(bytes: Uint8Array): MemoryImportInfo[] {
  for (const { id, body } of eachSection(bytes)) {
    if (id === SECTION_IMPORT) return readImportSection(body).memories;
    // Why stop here: the import section comes before every known section but the type section.
    if (id !== SECTION_CUSTOM && id > SECTION_IMPORT) return [];
  }
  return [];
}

/** How many memories the module defines itself (its memory section's count; imports not included). */
export function countDefinedMemories(bytes: Uint8Array): number {
  for (const { id, body } of eachSection(bytes)) {
    if (id === SECTION_MEMORY) return new Reader(body).uleb();
    // Why stop at the code section: every section that may hold memories comes before it.
    if (id === SECTION_CODE) return 0;
  }
  return 0;
}

/** Reads an import section's body once: its count, where its entries start, its memory imports. */
export function readImportSection(body: Uint8Array): ImportSectionInfo {
  const reader = new Reader(body);
  const memories: MemoryImportInfo[] = [];
  const functionTypes: number[] = [];
  const count = reader.uleb();
  const entriesOffset = reader.offset;
  for (let i = 0; i < count; i++) {
    const module = reader.name();
    const name = reader.name();
    const kind = reader.byte();
    switch (kind) {
      case IMPORT_FUNC:
        functionTypes.push(reader.uleb());
        break;
      case IMPORT_TABLE:
        readTableType(reader);
        break;
      case IMPORT_MEMORY:
        memories.push({ module, name, ...reader.limits() });
        break;
      case IMPORT_GLOBAL:
        readValueType(reader);
        reader.byte();
        break;
      case IMPORT_TAG:
        reader.byte();
        reader.uleb();
        break;
      default:
        throw new RangeError(`unknown import kind ${kind} in wasm binary`);
    }
  }
  return { count, entriesOffset, memories, functionTypes };
}

function readValueType(reader: Reader): void {
  const type = reader.byte();
  // Why: typed function references encode `(ref null? ht)` as 0x63/0x64 followed by a heap type.
  if (type === 0x63 || type === 0x64) reader.uleb();
}

function readTableType(reader: Reader): void {
  readValueType(reader);
  reader.limits();
}

/** Global index → name from the content of a "name" custom section (empty if it has none). */
export function readGlobalNames(nameSection: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  const reader = new Reader(nameSection);
  while (!reader.done) {
    const id = reader.byte();
    const size = reader.uleb();
    const end = reader.end(size);
    if (id === NAME_SUBSECTION_GLOBALS) {
      const count = reader.uleb();
      for (let i = 0; i < count; i++) {
        const index = reader.uleb();
        names.set(index, reader.name());
      }
    }
    reader.offset = end;
  }
  return names;
}

/** Unsigned LEB128 encoding of a 32-bit value. */
export function encodeUleb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** A name as the binary format writes it: UTF-8 bytes after their length. */
export function encodeName(text: string): number[] {
  const encoded = new TextEncoder().encode(text);
  const out = encodeUleb(encoded.length);
  for (const byte of encoded) out.push(byte);
  return out;
}
