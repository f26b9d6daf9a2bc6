import { InvalidArgumentError } from '../errors/catalogue.js';
import {
  type ControlLayout,
  type ControlViews,
  Entry,
  entryValueIndex,
  entryWordIndex,
  MAX_VALUES,
  RESULT_ARRAY,
} from './control-layout.js';

const I64_MIN = -(2n ** 63n);
/** i64 arguments may be given signed or unsigned: wasm sees their 64 bits either way. */
const I64_LIMIT = 2n ** 64n;

/** A value that crosses into or out of wasm: i32/f32/f64 as number, i64 as bigint. */
export type WasmValue = number | bigint;

/** What a task resolves to: nothing, one value, or an array for multi-value results. */
export type TaskResult = WasmValue | WasmValue[] | undefined;

/** Throws InvalidArgumentError unless every argument is a wasm number; call before publishing. */
export function checkArguments(exportName: string, args: readonly unknown[]): asserts args is readonly WasmValue[] {
  if (args.length > MAX_VALUES) {
    throw new InvalidArgumentError(`"${exportName}" was given ${args.length} arguments; weft passes at most ${MAX_VALUES} per task (pass a pointer into shared memory for more).`);
  }
  for (let k = 0; k < args.length; k++) {
    const type = typeof args[k];
    if (type !== 'number' && type !== 'bigint') {
      throw new InvalidArgumentError(`Argument ${k} of "${exportName}" is a ${args[k] === null ? 'null' : type}; wasm exports take numbers (i32, f32, f64) or bigints (i64).`);
    }
    const value = args[k];
    // Why: the engine's ToBigInt64 wraps silently, so 2n ** 64n + 5n would arrive as 5n.
    if (typeof value === 'bigint' && (value < I64_MIN || value >= I64_LIMIT)) {
      throw new InvalidArgumentError(`Argument ${k} of "${exportName}" is ${value}n, outside the range of an i64 (-2^63 to 2^64-1, signed or unsigned).`);
    }
  }
}

export function writeArguments(views: ControlViews, layout: ControlLayout, entry: number, exportIndex: number, args: readonly WasmValue[]): void {
  const word = entryWordIndex(layout, entry);
  views.i32[word + Entry.EXPORT] = exportIndex;
  writeValues(views, word + Entry.ARG_COUNT, entryValueIndex(layout, entry), args);
}

export function readArguments(views: ControlViews, layout: ControlLayout, entry: number): WasmValue[] {
  return readValues(views, entryWordIndex(layout, entry) + Entry.ARG_COUNT, entryValueIndex(layout, entry));
}

/**
 * Writes wasm values as 8-byte slots from `valueIndex` (numbers as f64, bigints as i64), their
 * count at int32 `countWord` and a bit per bigint at `countWord + 1`. Shared by task entries and
 * the system-call slots of wasi programs.
 */
export function writeValues(views: ControlViews, countWord: number, valueIndex: number, values: readonly WasmValue[]): void {
  let tags = 0;
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (typeof value === 'bigint') {
      views.i64[valueIndex + k] = value;
      tags |= 1 << k;
    } else {
      views.f64[valueIndex + k] = value as number;
    }
  }
  views.i32[countWord] = values.length;
  views.i32[countWord + 1] = tags;
}

/** Reads values written by `writeValues`. */
export function readValues(views: ControlViews, countWord: number, valueIndex: number): WasmValue[] {
  const count = views.i32[countWord]!;
  const tags = views.i32[countWord + 1]!;
  const values: WasmValue[] = new Array<WasmValue>(count);
  for (let k = 0; k < count; k++) {
    values[k] = tags & (1 << k) ? views.i64[valueIndex + k]! : views.f64[valueIndex + k]!;
  }
  return values;
}

/** Stores what an export returned; returns false if it is not something a wasm export can return. */
export function writeResult(views: ControlViews, layout: ControlLayout, entry: number, result: unknown): boolean {
  const word = entryWordIndex(layout, entry);
  const value = entryValueIndex(layout, entry);
  const i32 = views.i32;
  if (result === undefined) {
    i32[word + Entry.RESULT_COUNT] = 0;
    return true;
  }
  if (typeof result === 'number') {
    views.f64[value] = result;
    i32[word + Entry.RESULT_COUNT] = 1;
    i32[word + Entry.RESULT_TAGS] = 0;
    return true;
  }
  if (typeof result === 'bigint') {
    views.i64[value] = result;
    i32[word + Entry.RESULT_COUNT] = 1;
    i32[word + Entry.RESULT_TAGS] = 1;
    return true;
  }
  if (Array.isArray(result) && result.length <= MAX_VALUES) {
    let tags = 0;
    for (let k = 0; k < result.length; k++) {
      const item: unknown = result[k];
      if (typeof item === 'bigint') {
        views.i64[value + k] = item;
        tags |= 1 << k;
      } else if (typeof item === 'number') {
        views.f64[value + k] = item;
      } else {
        return false;
      }
    }
    i32[word + Entry.RESULT_COUNT] = result.length | RESULT_ARRAY;
    i32[word + Entry.RESULT_TAGS] = tags;
    return true;
  }
  return false;
}

export function readResult(views: ControlViews, layout: ControlLayout, entry: number): TaskResult {
  const word = entryWordIndex(layout, entry);
  const i32 = views.i32;
  const countWord = i32[word + Entry.RESULT_COUNT]!;
  if (countWord === 0) return undefined;
  const value = entryValueIndex(layout, entry);
  const tags = i32[word + Entry.RESULT_TAGS]!;
  if ((countWord & RESULT_ARRAY) === 0) {
    return tags & 1 ? views.i64[value]! : views.f64[value]!;
  }
  const count = countWord & (RESULT_ARRAY - 1);
  const results: WasmValue[] = new Array<WasmValue>(count);
  for (let k = 0; k < count; k++) results[k] = tags & (1 << k) ? views.i64[value + k]! : views.f64[value + k]!;
  return results;
}
