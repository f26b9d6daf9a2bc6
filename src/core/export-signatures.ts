import { InvalidArgumentError } from '../errors/catalogue.js';
import { MAX_VALUES } from '../protocol/control-layout.js';
import { eachSection, Reader, readImportSection, SECTION_EXPORT, SECTION_FUNCTION, SECTION_IMPORT, SECTION_TYPE } from './wasm-binary.js';

/** The name of a wasm value type as the text format writes it (`ref` for typed references). */
export type ValueTypeName = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'anyref' | 'exnref' | 'ref';

/** What a function export takes and returns. */
export interface FunctionSignature {
  readonly params: readonly ValueTypeName[];
  readonly results: readonly ValueTypeName[];
}

const NUMBER_TYPES: ReadonlySet<ValueTypeName> = new Set(['i32', 'i64', 'f32', 'f64']);
const FUNC_TYPE_FORM = 0x60;
const EXPORT_FUNC = 0;
const VALUE_TYPES: ReadonlyMap<number, ValueTypeName> = new Map([
  [0x7f, 'i32'], [0x7e, 'i64'], [0x7d, 'f32'], [0x7c, 'f64'], [0x7b, 'v128'],
  [0x70, 'funcref'], [0x6f, 'externref'], [0x6e, 'anyref'], [0x69, 'exnref'],
]);
const I32_MIN = -(2 ** 31);
const I32_LIMIT = 2 ** 32;

/**
 * The signature of every function export, by name, read from the binary; undefined when the
 * binary uses a type form this reader does not know (GC proposal types), in which case the
 * engine's own conversion in the thread is the check.
 */
export function readExportSignatures(bytes: Uint8Array): ReadonlyMap<string, FunctionSignature> | undefined {
  let types: (FunctionSignature | undefined)[] = [];
  let functionTypes: number[] = [];
  const signatures = new Map<string, FunctionSignature>();
  try {
    for (const { id, body } of eachSection(bytes)) {
      if (id === SECTION_TYPE) types = readTypeSection(body);
      else if (id === SECTION_IMPORT) functionTypes = readImportSection(body).functionTypes;
      else if (id === SECTION_FUNCTION) readFunctionSection(body, functionTypes);
      else if (id === SECTION_EXPORT) {
        const reader = new Reader(body);
        const count = reader.uleb();
        for (let i = 0; i < count; i++) {
          const name = reader.name();
          const kind = reader.byte();
          const index = reader.uleb();
          if (kind !== EXPORT_FUNC) continue;
          const signature = types[functionTypes[index] ?? -1];
          if (signature === undefined) return undefined;
          signatures.set(name, signature);
        }
        return signatures;
      }
    }
  } catch (error) {
    if (error instanceof UnknownTypeForm) return undefined;
    throw error;
  }
  return signatures;
}

class UnknownTypeForm extends Error {}

function readTypeSection(body: Uint8Array): FunctionSignature[] {
  const reader = new Reader(body);
  const count = reader.uleb();
  const types: FunctionSignature[] = [];
  for (let i = 0; i < count; i++) {
    if (reader.byte() !== FUNC_TYPE_FORM) throw new UnknownTypeForm();
    const params = readValueTypes(reader);
    const results = readValueTypes(reader);
    types.push({ params, results });
  }
  return types;
}

function readValueTypes(reader: Reader): ValueTypeName[] {
  const count = reader.uleb();
  const names: ValueTypeName[] = [];
  for (let i = 0; i < count; i++) {
    const code = reader.byte();
    const name = VALUE_TYPES.get(code);
    if (name !== undefined) {
      names.push(name);
    } else if (code === 0x63 || code === 0x64) {
      // Why: typed function references, `(ref null? ht)`, carry a heap type (an s33) after the code.
      reader.uleb();
      names.push('ref');
    } else {
      throw new UnknownTypeForm();
    }
  }
  return names;
}

function readFunctionSection(body: Uint8Array, functionTypes: number[]): void {
  const reader = new Reader(body);
  const count = reader.uleb();
  for (let i = 0; i < count; i++) functionTypes.push(reader.uleb());
}

/**
 * Throws InvalidArgumentError unless `args` fit the export's parameters (count, type and range)
 * and its results are values a task can return. Call before publishing.
 */
export function checkCallSignature(exportName: string, args: readonly (number | bigint)[], signature: FunctionSignature): void {
  const { params, results } = signature;
  const unusual = unusualTypeOf(signature);
  if (unusual !== undefined) {
    const verb = params.includes(unusual) ? 'takes' : 'returns';
    throw new InvalidArgumentError(`"${exportName}" ${verb} ${unusual}; pool tasks take and return only i32, i64, f32 and f64 values. Export a wrapper that does, or run the module with the weft API for its kind.`);
  }
  if (results.length > MAX_VALUES) {
    throw new InvalidArgumentError(`"${exportName}" returns ${results.length} values; weft passes at most ${MAX_VALUES} i32, i64, f32 and f64 values per task. Write the rest into shared memory.`);
  }
  if (args.length !== params.length) {
    const takes = params.length === 0 ? 'takes no arguments' : `takes ${params.length} argument${params.length === 1 ? '' : 's'} (${params.join(', ')})`;
    throw new InvalidArgumentError(`"${exportName}" ${takes}, got ${args.length}.`);
  }
  for (let k = 0; k < args.length; k++) {
    const problem = describeMismatch(params[k]!, args[k]!);
    if (problem !== undefined) throw new InvalidArgumentError(`Argument ${k} of "${exportName}" is an ${params[k]!}: ${problem}.`);
  }
}

/** Why a cache: this runs on every task, and a round trip of the pool costs a few µs in all. */
const unusualTypes = new WeakMap<FunctionSignature, ValueTypeName | undefined>();

/** The first parameter or result type that is not a number type, if any. */
function unusualTypeOf(signature: FunctionSignature): ValueTypeName | undefined {
  if (unusualTypes.has(signature)) return unusualTypes.get(signature);
  const unusual = [...signature.params, ...signature.results].find((type) => !NUMBER_TYPES.has(type));
  unusualTypes.set(signature, unusual);
  return unusual;
}

function describeMismatch(type: ValueTypeName, value: number | bigint): string | undefined {
  if (type === 'i64') {
    if (typeof value !== 'bigint') return `pass a BigInt (e.g. ${String(value)}n${Number.isInteger(value) ? '' : ' for an integer'}), got the number ${String(value)}`;
    return undefined;
  }
  if (typeof value === 'bigint') return `pass a number, got the BigInt ${value}n`;
  if (type !== 'i32') return undefined;
  if (!Number.isInteger(value)) return `pass an integer, got ${String(value)}`;
  if (value < I32_MIN || value >= I32_LIMIT) return `${String(value)} is outside its range (-2^31 to 2^32-1, signed or unsigned)`;
  return undefined;
}
