import { ARENA_PAYLOAD_OFFSET, ARENA_VALUES, PAYLOAD_ALIGN, VALUE_BYTES, VALUE_SCALAR_OFFSET, ValueDescriptor } from './bindgen-call-layout.js';

/**
 * How a wasm-bindgen call's values are written into a fast-call arena (bindgen-call-layout.ts)
 * and read back on the other thread, with the same result as structured clone for every value
 * it accepts: numbers, BigInts in the i64 range, booleans, undefined, null, well-formed strings,
 * and typed arrays, DataViews and ArrayBuffers (copied: the reader gets a fresh one of the same
 * type, or for a typed array it asks for in place, a view of the arena). Anything else is not
 * encodable and its call takes the message path.
 */

/** Values of `ValueDescriptor.TAG`. */
export const ValueTag = {
  UNDEFINED: 1,
  NULL: 2,
  FALSE: 3,
  TRUE: 4,
  NUMBER: 5,
  BIGINT: 6,
  STRING: 7,
  ARRAY_BUFFER: 8,
  DATA_VIEW: 9,
  /** A glue object the thread keeps, passed by its id (a remote handle among the arguments). */
  KEPT_OBJECT: 10,
  INT8_ARRAY: 16,
  UINT8_ARRAY: 17,
  UINT8_CLAMPED_ARRAY: 18,
  INT16_ARRAY: 19,
  UINT16_ARRAY: 20,
  INT32_ARRAY: 21,
  UINT32_ARRAY: 22,
  FLOAT32_ARRAY: 23,
  FLOAT64_ARRAY: 24,
  BIGINT64_ARRAY: 25,
  BIGUINT64_ARRAY: 26,
} as const;

interface TypedArrayConstructor {
  new (length: number): ArrayBufferView & { readonly buffer: ArrayBuffer };
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
}

/** Typed arrays by the name their `Symbol.toStringTag` gives (subclasses such as Node's Buffer clone as their base type). */
const TYPED_ARRAYS: ReadonlyMap<string, { readonly tag: number; readonly type: TypedArrayConstructor }> = new Map([
  ['Int8Array', { tag: ValueTag.INT8_ARRAY, type: Int8Array }],
  ['Uint8Array', { tag: ValueTag.UINT8_ARRAY, type: Uint8Array }],
  ['Uint8ClampedArray', { tag: ValueTag.UINT8_CLAMPED_ARRAY, type: Uint8ClampedArray }],
  ['Int16Array', { tag: ValueTag.INT16_ARRAY, type: Int16Array }],
  ['Uint16Array', { tag: ValueTag.UINT16_ARRAY, type: Uint16Array }],
  ['Int32Array', { tag: ValueTag.INT32_ARRAY, type: Int32Array }],
  ['Uint32Array', { tag: ValueTag.UINT32_ARRAY, type: Uint32Array }],
  ['Float32Array', { tag: ValueTag.FLOAT32_ARRAY, type: Float32Array }],
  ['Float64Array', { tag: ValueTag.FLOAT64_ARRAY, type: Float64Array }],
  ['BigInt64Array', { tag: ValueTag.BIGINT64_ARRAY, type: BigInt64Array as unknown as TypedArrayConstructor }],
  ['BigUint64Array', { tag: ValueTag.BIGUINT64_ARRAY, type: BigUint64Array as unknown as TypedArrayConstructor }],
] as [string, { tag: number; type: TypedArrayConstructor }][]);
const TYPED_ARRAY_BY_TAG = new Map([...TYPED_ARRAYS.values()].map((entry) => [entry.tag, entry.type]));

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
/** A lone surrogate: UTF-8 cannot carry it, structured clone can. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Most UTF-8 bytes one UTF-16 code unit can take. */
const UTF8_BYTES_PER_UNIT = 3;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Typed views of one arena buffer. */
export class ValueArena {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly floats: Float64Array;
  readonly bigints: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer);
    this.floats = new Float64Array(buffer);
    this.bigints = new BigInt64Array(buffer);
  }
}

/**
 * The arena bytes `values` need, or undefined when one of them cannot go through an arena.
 * `keptObjects[i]`, when not null, is the id of the kept object passed as argument i.
 */
export function measureValues(values: readonly unknown[], keptObjects: readonly (number | null)[] | null): number | undefined {
  if (values.length > ARENA_VALUES) return undefined;
  let end = ARENA_PAYLOAD_OFFSET;
  // Why index loops here and in writeValues: they run on every fast call, and entries() makes an iterator and a pair per value.
  for (let index = 0; index < values.length; index++) {
    if ((keptObjects?.[index] ?? null) !== null) continue;
    const payload = payloadBytes(values[index]);
    if (payload === undefined) return undefined;
    end = align(end) + payload;
  }
  return end;
}

/** Writes `values` (checked by `measureValues` to fit) into the arena's descriptors 0 … n-1. */
export function writeValues(arena: ValueArena, values: readonly unknown[], keptObjects: readonly (number | null)[] | null): void {
  let end = ARENA_PAYLOAD_OFFSET;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    const word = (index * VALUE_BYTES) / 4;
    const keptObject = keptObjects?.[index] ?? null;
    if (keptObject !== null) {
      setTag(arena, word, ValueTag.KEPT_OBJECT, keptObject);
      continue;
    }
    switch (typeof value) {
      case 'undefined':
        setTag(arena, word, ValueTag.UNDEFINED);
        continue;
      case 'boolean':
        setTag(arena, word, value ? ValueTag.TRUE : ValueTag.FALSE);
        continue;
      case 'number':
        setTag(arena, word, ValueTag.NUMBER);
        arena.floats[(index * VALUE_BYTES + VALUE_SCALAR_OFFSET) / 8] = value;
        continue;
      case 'bigint':
        setTag(arena, word, ValueTag.BIGINT);
        arena.bigints[(index * VALUE_BYTES + VALUE_SCALAR_OFFSET) / 8] = value;
        continue;
      case 'string': {
        const offset = align(end);
        const length = writeString(arena.bytes, value, offset);
        setTag(arena, word, ValueTag.STRING, length, offset);
        end = offset + length;
        continue;
      }
      default:
        break;
    }
    if (value === null) {
      setTag(arena, word, ValueTag.NULL);
      continue;
    }
    const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array((value as ArrayBufferView).buffer, (value as ArrayBufferView).byteOffset, (value as ArrayBufferView).byteLength);
    const offset = align(end);
    arena.bytes.set(view, offset);
    setTag(arena, word, bufferTag(value as ArrayBuffer | ArrayBufferView), view.length, offset);
    end = offset + view.length;
  }
}

/** Which values `readValues` reads, and how. */
export interface ReadValuesOptions {
  /** The first value to read (default 0): a call's arguments follow its target's names. */
  readonly from?: number;
  /**
   * `inPlace[i]` true: value `from + i`, if it is a typed array, is read as a view of the arena
   * (same type and length) instead of a copy. Only for a reader that lets go of it before the
   * arena is written again (the glue borrows it, worker/bindgen-borrowed-arguments.ts).
   */
  readonly inPlace?: readonly boolean[];
}

/**
 * Reads values `from` … `end`-1; each kept object's id is in `keptObjects` at its place (null
 * for the others, whose value is null there). Both arrays start at value `from`.
 */
export function readValues(arena: ValueArena, end: number, options: ReadValuesOptions = {}): { values: unknown[]; keptObjects: (number | null)[] } {
  const from = options.from ?? 0;
  const values: unknown[] = [];
  const keptObjects: (number | null)[] = [];
  for (let index = from; index < end; index++) {
    const word = (index * VALUE_BYTES) / 4;
    const tag = arena.words[word + ValueDescriptor.TAG]!;
    const length = arena.words[word + ValueDescriptor.LENGTH]!;
    const offset = arena.words[word + VALUE_SCALAR_OFFSET / 4]!;
    keptObjects.push(tag === ValueTag.KEPT_OBJECT ? length : null);
    values.push(readValue(arena, tag, length, offset, (index * VALUE_BYTES + VALUE_SCALAR_OFFSET) / 8, options.inPlace?.[index - from] === true));
  }
  return { values, keptObjects };
}

function readValue(arena: ValueArena, tag: number, length: number, offset: number, scalar: number, inPlace: boolean): unknown {
  switch (tag) {
    case ValueTag.UNDEFINED:
      return undefined;
    case ValueTag.NULL:
    case ValueTag.KEPT_OBJECT:
      return null;
    case ValueTag.FALSE:
      return false;
    case ValueTag.TRUE:
      return true;
    case ValueTag.NUMBER:
      return arena.floats[scalar];
    case ValueTag.BIGINT:
      return arena.bigints[scalar];
    case ValueTag.STRING:
      return readString(arena.bytes, offset, length);
    case ValueTag.ARRAY_BUFFER:
      return arena.bytes.slice(offset, offset + length).buffer;
    case ValueTag.DATA_VIEW:
      return new DataView(arena.bytes.slice(offset, offset + length).buffer);
    default: {
      const type = TYPED_ARRAY_BY_TAG.get(tag);
      if (type === undefined) throw new TypeError(`Unknown value tag ${tag} in a wasm-bindgen call arena.`);
      // Payloads are PAYLOAD_ALIGN-aligned, which every element size divides.
      if (inPlace && offset % type.BYTES_PER_ELEMENT === 0) return new type(arena.buffer, offset, length / type.BYTES_PER_ELEMENT);
      const copy = new type(length / type.BYTES_PER_ELEMENT);
      new Uint8Array(copy.buffer).set(arena.bytes.subarray(offset, offset + length));
      return copy;
    }
  }
}

/**
 * Short strings all of whose characters are ASCII are copied a byte per character, not through
 * TextEncoder / TextDecoder. Why: every fast call carries its target's name, and encoding one
 * took about 0.5 µs of the host's CPU per call and decoding one a slice and a decoder call on
 * the thread; a byte loop over a name takes a few nanoseconds.
 */
const SHORT_STRING = 64;

/** Writes `value` as UTF-8 at `offset` (room for its measured payload there); its byte length. */
function writeString(bytes: Uint8Array, value: string, offset: number): number {
  if (value.length <= SHORT_STRING) {
    let index = 0;
    for (; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code >= 0x80) break;
      bytes[offset + index] = code;
    }
    if (index === value.length) return index;
  }
  // Why encode() and not encodeInto(): not every engine's encodeInto takes a view of a SharedArrayBuffer.
  const utf8 = encoder.encode(value);
  bytes.set(utf8, offset);
  return utf8.length;
}

function readString(bytes: Uint8Array, offset: number, length: number): string {
  if (length <= SHORT_STRING) {
    let ascii = '';
    let index = 0;
    for (; index < length; index++) {
      const code = bytes[offset + index]!;
      if (code >= 0x80) break;
      ascii += String.fromCharCode(code);
    }
    if (index === length) return ascii;
  }
  // Why slice(): TextDecoder refuses views of a SharedArrayBuffer in browsers.
  return decoder.decode(bytes.slice(offset, offset + length));
}

/** Payload bytes of an encodable value (0 for scalars), or undefined when it is not encodable. */
function payloadBytes(value: unknown): number | undefined {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
      return 0;
    case 'bigint':
      return value >= I64_MIN && value <= I64_MAX ? 0 : undefined;
    case 'string':
      return LONE_SURROGATE.test(value) ? undefined : value.length * UTF8_BYTES_PER_UNIT;
    case 'object':
      if (value === null) return 0;
      return copiedBuffer(value as object);
    default:
      return undefined;
  }
}

/**
 * The bytes of an ArrayBuffer, DataView or typed array that structured clone would copy the
 * same way, or undefined. Not: views of a SharedArrayBuffer (clone shares them), resizable
 * buffers (clone keeps them resizable), empty ones (a detached buffer looks empty, and clone
 * throws on it), typed arrays this codec has no tag for.
 */
function copiedBuffer(value: object): number | undefined {
  let buffer: unknown;
  let byteLength: number;
  if (value instanceof ArrayBuffer) {
    buffer = value;
    byteLength = value.byteLength;
  } else if (ArrayBuffer.isView(value)) {
    if (!(value instanceof DataView) && !TYPED_ARRAYS.has(typedArrayName(value))) return undefined;
    buffer = value.buffer;
    byteLength = value.byteLength;
  } else {
    return undefined;
  }
  if (!(buffer instanceof ArrayBuffer) || (buffer as { resizable?: boolean }).resizable === true || byteLength === 0) return undefined;
  return byteLength;
}

function bufferTag(value: ArrayBuffer | ArrayBufferView): number {
  if (value instanceof ArrayBuffer) return ValueTag.ARRAY_BUFFER;
  if (value instanceof DataView) return ValueTag.DATA_VIEW;
  return TYPED_ARRAYS.get(typedArrayName(value))!.tag;
}

function typedArrayName(view: ArrayBufferView): string {
  return String((view as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]);
}

/** Sets a descriptor's tag and length; `offset`, for values with a payload, goes where a scalar would. */
function setTag(arena: ValueArena, word: number, tag: number, length = 0, offset?: number): void {
  arena.words[word + ValueDescriptor.TAG] = tag;
  arena.words[word + ValueDescriptor.LENGTH] = length;
  if (offset !== undefined) arena.words[word + VALUE_SCALAR_OFFSET / 4] = offset;
}

function align(offset: number): number {
  return (offset + PAYLOAD_ALIGN - 1) & ~(PAYLOAD_ALIGN - 1);
}
