/**
 * Which parameters of a wasm-bindgen glue function only *borrow* their argument: the glue reads
 * it during the call and keeps nothing of it, so a fast call may hand it a view of the call
 * arena instead of a fresh copy (worker/bindgen-fast-calls.ts).
 *
 * What the glue of a `&[T]`, `&mut [T]` or `Vec<T>` parameter does with its argument, in every
 * wasm-bindgen version: copies it into wasm memory with `passArray8ToWasm0(arg, malloc)`
 * (`passArrayF64ToWasm0`, `passArray32ToWasm0`, …) and never stores it. A `&mut [T]` also
 * writes the slice back after the wasm call: older glue with `arg.set(getUint8Memory0()
 * .subarray(ptr0 / 1, ptr0 / 1 + len0))` in a `finally`, newer glue by passing `arg` itself
 * (or `addHeapObject(arg)`) right after the slice's pointer and length, for the Rust side to
 * copy into through `__wbindgen_copy_to_typed_array` before the call returns and drop. On a
 * view of the arena that write-back lands in the arena, which the host ignores: the caller
 * sees no write-back either way, as with structured clone.
 *
 * So a parameter is borrowed when every use of its name in the function's source
 * (`Function.prototype.toString`) is one of those. Anything else counts as a use that may keep
 * the argument: the name in a string, a comment or a property name; so do nested functions,
 * `arguments`, `eval`, default, destructured and rest parameters, and any source this cannot
 * read (minified glue, whose helpers lost their names; bound or native functions). Those
 * arguments are copied, as before.
 */

/** The glue's helpers that copy a typed array into wasm memory and keep nothing of it. */
const PASS_ARRAY_CALL = String.raw`passArray\w*ToWasm\d*\(\s*`;
/** The start of a function's source up to its body: `function f(a, b) {`, `async f(a) {`, `static f(a) {`. */
const FUNCTION_HEAD = /^\s*(?:async\s+)?(?:function\b\s*[\w$]*|(?:static\s+)?[\w$]+)\s*\(([^()]*)\)\s*\{/;
const PLAIN_PARAMETER = /^\s*([A-Za-z_$][\w$]*)\s*$/;
/**
 * What makes a body's uses of a name say nothing about when or whether it is kept: `arguments`
 * and `eval` reach a parameter without naming it, and a nested function (`function`, `=>`) may
 * run its passArray…ToWasm0 after the call answered, when the arena holds another call.
 */
const UNREADABLE_BODY = /(?<![\w$.])(?:arguments|eval|function)(?![\w$])|=>/;

const NONE: readonly boolean[] = Object.freeze([]);
const known = new WeakMap<object, readonly boolean[]>();

/**
 * Per parameter of `fn` (a glue export, a class's method or static function), whether it only
 * borrows its argument (see the file's comment). Decided once per function; empty (nothing
 * borrowed) when the source cannot be read.
 */
export function borrowedParameters(fn: (...args: never[]) => unknown): readonly boolean[] {
  let borrowed = known.get(fn);
  if (borrowed === undefined) {
    borrowed = classify(sourceOf(fn));
    known.set(fn, borrowed);
  }
  return borrowed;
}

/**
 * Per parameter of the function whose source is `source`, whether it only borrows its
 * argument; exported for the tests, which feed it the source of glue written in each shape.
 */
export function classify(source: string | undefined): readonly boolean[] {
  if (source === undefined) return NONE;
  const head = FUNCTION_HEAD.exec(source);
  if (head === null) return NONE;
  const pieces = head[1]!.split(',');
  // A trailing comma leaves one empty piece.
  if (pieces.length > 1 && pieces.at(-1)!.trim() === '') pieces.pop();
  const names: string[] = [];
  for (const piece of pieces) {
    const plain = PLAIN_PARAMETER.exec(piece);
    if (plain === null) return NONE;
    names.push(plain[1]!);
  }
  const end = source.lastIndexOf('}');
  if (end < head[0].length) return NONE;
  const body = source.slice(head[0].length, end);
  if (UNREADABLE_BODY.test(body)) return NONE;
  const borrowed = names.map((name) => isBorrowed(name, body));
  return borrowed.some(Boolean) ? Object.freeze(borrowed) : NONE;
}

function isBorrowed(name: string, body: string): boolean {
  const id = escapeName(name);
  const uses = count(body, new RegExp(String.raw`(?<![\w$])${id}(?![\w$])`, 'g'));
  const passes = count(body, new RegExp(String.raw`${PASS_ARRAY_CALL}${id}\s*[,)]`, 'g'));
  if (passes === 0) return false;
  // Older `&mut` glue: `name.set(getUint8Memory0().subarray(ptr0 / 1, ptr0 / 1 + len0))`.
  const copiesBack = count(body, new RegExp(String.raw`(?<![\w$.])${id}\.set\(\s*get\w*Memory\w*\(\)\.subarray\(`, 'g'));
  return uses === passes + copiesBack + handsToWasm(name, body);
}

/**
 * Newer `&mut` glue: how often `name` follows the pointer and length of its own slice in a call
 * (`ptr0, len0, name` or `ptr0, len0, addHeapObject(name)`), where `ptr0` is
 * `passArray…ToWasm0(name, …)`.
 */
function handsToWasm(name: string, body: string): number {
  const id = escapeName(name);
  const slices = new Set<string>();
  for (const match of body.matchAll(new RegExp(String.raw`\b(?:const|let|var)\s+([\w$]+)\s*=\s*${PASS_ARRAY_CALL}${id}\s*,`, 'g'))) slices.add(match[1]!);
  let handed = 0;
  for (const match of body.matchAll(new RegExp(String.raw`([\w$]+)\s*,\s*[\w$]+\s*,\s*(?:addHeapObject\(\s*)?${id}(?![\w$.])`, 'g'))) {
    if (slices.has(match[1]!)) handed++;
  }
  return handed;
}

function sourceOf(fn: (...args: never[]) => unknown): string | undefined {
  try {
    return Function.prototype.toString.call(fn);
  } catch {
    return undefined;
  }
}

function count(text: string, pattern: RegExp): number {
  let found = 0;
  for (const _ of text.matchAll(pattern)) found++;
  return found;
}

function escapeName(name: string): string {
  return name.replace(/\$/g, '\\$');
}
